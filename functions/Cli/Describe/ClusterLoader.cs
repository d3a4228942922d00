using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Cli.Describe;

/// <summary>Reads one cluster's objects from the management cluster for <c>describe</c>.</summary>
internal static class ClusterLoader
{
    /// <summary>Parallel reads of Machine parts: enough to hide latency, few enough to be gentle with the API server.</summary>
    private const int PartReads = 8;

    /// <summary>The cluster and its parts; null when the Cluster does not exist.</summary>
    public static async Task<ClusterSnapshot?> LoadAsync(KubeApi kube, string ns, string name, CancellationToken ct)
    {
        CapiResources.Register();
        var cluster = await GetAsync(kube, ns, CapiResources.For(CapiGroups.Core, Api.Cluster.KubeKind), name, ct);
        if (cluster is null) return null;
        var infra = await RefAsync(kube, ns, cluster["spec"]?["infrastructureRef"], ct);
        var controlPlane = await RefAsync(kube, ns, cluster["spec"]?["controlPlaneRef"], ct);
        var selector = $"{CapiLabels.ClusterName}={name}";
        async Task<IReadOnlyList<DescribedObject>> List(string kind, ObjectRole role) =>
            (await kube.ListJsonAsync(CapiResources.For(CapiGroups.Core, kind), ns, selector, ct)).Select(o => DescribedObject.From(o, role)).ToList();
        var machines = await List(Api.Machine.KubeKind, ObjectRole.Machine);

        var parts = new ConcurrentDictionary<string, IReadOnlyList<DescribedObject>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(machines, new ParallelOptions { MaxDegreeOfParallelism = PartReads, CancellationToken = ct }, async (m, token) =>
        {
            var found = new List<DescribedObject>();
            foreach (var reference in new[] { m.InfrastructureRef, m.BootstrapRef }.OfType<ObjectRef>())
            {
                if (await GetAsync(kube, ns, CapiResources.For(reference.ApiGroup, reference.Kind), reference.Name, token) is { } part)
                    found.Add(DescribedObject.From(part, ObjectRole.Other));
            }
            parts[m.Name] = found;
        });

        return new ClusterSnapshot(
            DescribedObject.From(cluster, ObjectRole.Cluster),
            infra is null ? null : DescribedObject.From(infra, ObjectRole.Other),
            controlPlane is null ? null : DescribedObject.From(controlPlane, ObjectRole.ControlPlane),
            await List(MachineDeployment.KubeKind, ObjectRole.MachineDeployment),
            await List(MachineSet.KubeKind, ObjectRole.MachineSet),
            machines,
            parts);
    }

    private static async Task<JsonObject?> RefAsync(KubeApi kube, string ns, JsonNode? reference, CancellationToken ct) =>
        ExternalObjects.Text(reference, "apiGroup") is { } group && ExternalObjects.Text(reference, "kind") is { } kind &&
        ExternalObjects.Text(reference, "name") is { } refName
            ? await GetAsync(kube, ns, CapiResources.For(group, kind), refName, ct)
            : null;

    private static async Task<JsonObject?> GetAsync(KubeApi kube, string ns, KubeResource resource, string name, CancellationToken ct)
    {
        try
        {
            var obj = await kube.SendAsync<JsonObject>(HttpMethod.Get, $"{resource.CollectionPath(ns)}/{Uri.EscapeDataString(name)}", null, null, ct);
            if (obj is not null) obj["kind"] ??= resource.Kind;
            return obj;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
