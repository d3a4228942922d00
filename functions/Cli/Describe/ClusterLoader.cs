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
        var cluster = await kube.GetAsync(ns, new ContractVersionedObjectReference { ApiGroup = CapiGroups.Core, Kind = Api.Cluster.KubeKind, Name = name }, ct);
        if (cluster is null) return null;
        cluster["kind"] ??= Api.Cluster.KubeKind;
        var infra = WithKind(await kube.GetReferencedAsync(ns, cluster["spec"]?["infrastructureRef"], ct), cluster["spec"]?["infrastructureRef"]);
        var controlPlane = WithKind(await kube.GetReferencedAsync(ns, cluster["spec"]?["controlPlaneRef"], ct), cluster["spec"]?["controlPlaneRef"]);
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
                if (await kube.GetAsync(ns, new ContractVersionedObjectReference { ApiGroup = reference.ApiGroup, Kind = reference.Kind, Name = reference.Name }, token) is { } part)
                {
                    part["kind"] ??= reference.Kind;
                    found.Add(DescribedObject.From(part, ObjectRole.Other));
                }
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

    /// <summary>The kind of a referenced object, from its reference when the answer leaves it out.</summary>
    private static JsonObject? WithKind(JsonObject? obj, JsonNode? reference)
    {
        if (obj is not null) obj["kind"] ??= ExternalObjects.Text(reference, "kind");
        return obj;
    }
}
