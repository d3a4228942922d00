using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Topology;

namespace ServerlessCapi.Reconcilers.ClusterClasses;

/// <summary>The ClusterClass reconciler: lists the class's variables in its status (VariablesReady), says whether its
/// template references name the served API versions (RefVersionsUpToDate), and, when its spec changed, wakes the
/// Clusters built from it so their topologies follow.</summary>
public sealed class ClusterClassReconciler(KubeApi kube, IClusterClassVariables variables, ILogger<ClusterClassReconciler> logger)
    : ObjectReconciler<ClusterClass>(kube, logger)
{
    protected override async Task<ReconcileResult> ReconcileAsync(ClusterClass cc, ReconcileContext context, CancellationToken ct)
    {
        var now = context.Now.UtcDateTime;
        var generation = cc.Metadata.Generation;
        var specChanged = cc.Status.ObservedGeneration != generation;

        var computed = await variables.ComputeStatusAsync(cc, ct);
        if (computed.Error is { } error)
        {
            Conditions.Set(cc.Status, ClusterClassConditions.VariablesReady, ConditionStatus.False, ClusterClassReasons.VariableDiscoveryFailed, error, generation, now);
        }
        else
        {
            cc.Status.Variables = computed.Variables.Count > 0 ? [.. computed.Variables] : null;
            Conditions.Set(cc.Status, ClusterClassConditions.VariablesReady, ConditionStatus.True, ClusterClassReasons.VariablesReady, "", generation, now);
        }

        var outdated = TemplateRefs(cc)
            .Where(r => CapiResources.For(r.Group, r.Kind).ApiVersion != r.ApiVersion)
            .Select(r => $"* Ref \"{r.ApiVersion}, Kind={r.Kind} {cc.Metadata.NamespaceProperty}/{r.Name}\" should be \"{CapiResources.For(r.Group, r.Kind).ApiVersion}, Kind={r.Kind} {cc.Metadata.NamespaceProperty}/{r.Name}\"")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (outdated.Count > 0)
            Conditions.Set(cc.Status, ClusterClassConditions.RefVersionsUpToDate, ConditionStatus.False, ClusterClassReasons.RefVersionsNotUpToDate, string.Join('\n', outdated), generation, now);
        else
            Conditions.Set(cc.Status, ClusterClassConditions.RefVersionsUpToDate, ConditionStatus.True, ClusterClassReasons.RefVersionsUpToDate, "", generation, now);

        if (computed.Error is null)
            cc.Status.ObservedGeneration = generation;
        if (specChanged && computed.Error is null)
        {
            // Clusters do not watch their class: a class change wakes each Cluster that uses it.
            foreach (var cluster in await Kube.ListAsync<Api.Cluster>(null, ct: ct))
            {
                var classRef = cluster.Spec.Topology?.ClassRef;
                if (classRef?.Name == cc.Metadata.Name && (classRef.Namespace ?? cluster.Metadata.NamespaceProperty) == cc.Metadata.NamespaceProperty)
                    context.Wake(new ObjectKey(Api.Cluster.KubeKind, cluster.Metadata.NamespaceProperty, cluster.Metadata.Name, cluster.Metadata.Uid));
            }
        }
        return computed.Error is null ? ReconcileResult.Done() : ReconcileResult.Requeue(TimeSpan.FromSeconds(30), computed.Error);
    }

    /// <summary>Every template reference of the class.</summary>
    public static IEnumerable<ClusterClassTemplateReference> TemplateRefs(ClusterClass cc)
    {
        yield return cc.Spec.Infrastructure.TemplateRef;
        yield return cc.Spec.ControlPlane.TemplateRef;
        if (cc.Spec.ControlPlane.MachineInfrastructure is { } mi) yield return mi.TemplateRef;
        foreach (var md in cc.Spec.Workers?.MachineDeployments ?? [])
        {
            yield return md.Bootstrap.TemplateRef;
            yield return md.Infrastructure.TemplateRef;
        }
        foreach (var mp in cc.Spec.Workers?.MachinePools ?? [])
        {
            yield return mp.Bootstrap.TemplateRef;
            yield return mp.Infrastructure.TemplateRef;
        }
    }
}
