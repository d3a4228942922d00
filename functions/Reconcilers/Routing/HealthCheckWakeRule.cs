using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Routing;

/// <summary>The MachineHealthChecks of one cluster, found by their cluster-name label (CAPI's defaulting puts
/// it on every MachineHealthCheck).</summary>
public sealed record HealthCheckQuery(string Namespace, string ClusterName);

/// <summary>A change of a Machine wakes every MachineHealthCheck of its cluster (which Machines a check selects
/// is its own business); a change of a Cluster does too (readiness of its control plane and infrastructure
/// gates the checks). An addition to <see cref="WakeRules"/>: the checks are known by cluster, not by name,
/// so they are looked up in a second, cheap step.</summary>
public static class HealthCheckWakeRule
{
    /// <summary>Which checks a change of <paramref name="obj"/> concerns, or null (pure).</summary>
    public static HealthCheckQuery? For(JsonObject obj)
    {
        var group = ExternalObjects.Text(obj, "apiVersion")?.Split('/')[0];
        if (group != CapiGroups.Core) return null;
        var ns = ExternalObjects.Text(obj, "metadata", "namespace");
        if (ns is null) return null;
        return ExternalObjects.Text(obj, "kind") switch
        {
            Api.Machine.KubeKind => (ExternalObjects.Text(obj, "spec", "clusterName") ?? ExternalObjects.Text(obj, "metadata", "labels", CapiLabels.ClusterName)) is { } cluster
                ? new HealthCheckQuery(ns, cluster)
                : null,
            Api.Cluster.KubeKind => ExternalObjects.Text(obj, "metadata", "name") is { } name ? new HealthCheckQuery(ns, name) : null,
            _ => null,
        };
    }

    /// <summary>The keys of the checks to signal.</summary>
    public static async Task<IReadOnlyList<ObjectKey>> ResolveAsync(HealthCheckQuery query, KubeApi kube, CancellationToken ct = default)
    {
        CapiResources.Register();
        var checks = await kube.ListAsync<MachineHealthCheck>(query.Namespace, $"{CapiLabels.ClusterName}={query.ClusterName}", ct: ct);
        return checks.Select(c => new ObjectKey(MachineHealthCheck.KubeKind, c.Metadata.NamespaceProperty, c.Metadata.Name, c.Metadata.Uid)).ToList();
    }

    /// <summary>Both steps: the checks a change of <paramref name="obj"/> must wake.</summary>
    public static async Task<IReadOnlyList<ObjectKey>> KeysForAsync(JsonObject obj, KubeApi kube, CancellationToken ct = default) =>
        For(obj) is { } query ? await ResolveAsync(query, kube, ct) : [];
}
