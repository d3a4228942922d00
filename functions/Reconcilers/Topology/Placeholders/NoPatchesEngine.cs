using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>The patch engine for builds without one: a class with no patches gets its objects unchanged; a class
/// with patches is refused rather than built without them.</summary>
public sealed class NoPatchesEngine : ITopologyPatchEngine
{
    public Task<TopologyPatchResult> ApplyAsync(ClusterClass clusterClass, Cluster cluster, DesiredTemplates desired, CancellationToken ct)
    {
        if (clusterClass.Spec.Patches is { Count: > 0 })
            return Task.FromResult(TopologyPatchResult.Failure("spec.patches", "this build has no patch engine, so a ClusterClass with patches cannot be applied"));
        return Task.FromResult(TopologyPatchResult.Success(desired));
    }
}
