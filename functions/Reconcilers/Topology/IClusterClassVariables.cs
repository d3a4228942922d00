using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>The variables of a ClusterClass: their definitions as the class's status lists them, and the
/// validation and defaulting of a Cluster's values against those definitions.</summary>
public interface IClusterClassVariables
{
    /// <summary>The class's <c>status.variables</c> (each variable with its definition per source; inline ones come
    /// from <c>spec.variables</c> with source <see cref="ClusterClassStatusVariableDefinition.Inline"/>), or the
    /// error that keeps the class's VariablesReady condition false.</summary>
    Task<ClassVariablesResult> ComputeStatusAsync(ClusterClass clusterClass, CancellationToken ct);

    /// <summary>Checks the Cluster's <c>spec.topology.variables</c> and the per-topology overrides against the
    /// definitions in <paramref name="definitions"/> (the class's status.variables), filling in schema defaults on
    /// <paramref name="cluster"/> in place. Returns every error, with paths rooted at the Cluster
    /// (<c>spec.topology.variables[0].value.port</c>); none means valid. <paramref name="oldCluster"/>, on an
    /// update, feeds transition rules (<c>oldSelf</c>).</summary>
    IReadOnlyList<TopologyFieldError> ValidateAndDefault(Cluster cluster, IReadOnlyList<ClusterClassStatusVariable> definitions, Cluster? oldCluster = null);
}

/// <summary>The outcome of computing a class's variables.</summary>
public sealed record ClassVariablesResult(IReadOnlyList<ClusterClassStatusVariable> Variables, string? Error = null);
