using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>Applies a ClusterClass's patches (inline definitions and external extensions, gated by
/// <c>enabledIf</c>) to the objects the topology reconciler generated for one Cluster.</summary>
/// <remarks>Every object is in template shape: its apiVersion and kind are the template's (what a patch selector
/// names), and for the infrastructure cluster and the control plane the generated spec sits under
/// <c>spec.template.spec</c>, so patch paths read as they do against the templates of the class. The engine
/// resolves variable values itself (the Cluster's <c>spec.topology.variables</c>, per-topology overrides, and
/// the builtin variables from the context carried here). It must not mutate its inputs.</remarks>
public interface ITopologyPatchEngine
{
    /// <summary>The patched objects, or the first error with the field path of the patch that caused it.</summary>
    Task<TopologyPatchResult> ApplyAsync(ClusterClass clusterClass, Cluster cluster, DesiredTemplates desired, CancellationToken ct);
}

/// <summary>The generated objects of one Cluster, by the role a patch selector matches.</summary>
public sealed record DesiredTemplates
{
    /// <summary>Matched by <c>matchResources.infrastructureCluster</c>.</summary>
    public required JsonObject InfrastructureCluster { get; init; }

    /// <summary>Matched by <c>matchResources.controlPlane</c>.</summary>
    public required JsonObject ControlPlane { get; init; }

    /// <summary>The control plane's machine infrastructure template (also matched by
    /// <c>matchResources.controlPlane</c>), when the class has one.</summary>
    public JsonObject? ControlPlaneMachineInfrastructure { get; init; }

    /// <summary>The Kubernetes version the control plane is given in this reconcile (builtin
    /// <c>controlPlane.version</c>); it trails the topology's version during an upgrade.</summary>
    public required string ControlPlaneVersion { get; init; }

    /// <summary>The control plane's replicas (builtin <c>controlPlane.replicas</c>), when set.</summary>
    public int? ControlPlaneReplicas { get; init; }

    /// <summary>One entry per MachineDeployment topology, in the Cluster's order.</summary>
    public IReadOnlyList<WorkerTemplates> MachineDeployments { get; init; } = [];

    /// <summary>One entry per MachinePool topology, in the Cluster's order.</summary>
    public IReadOnlyList<WorkerTemplates> MachinePools { get; init; } = [];
}

/// <summary>The bootstrap and infrastructure templates of one MachineDeployment or MachinePool topology,
/// matched by <c>matchResources.machineDeploymentClass</c> / <c>machinePoolClass</c> through <see cref="Class"/>.</summary>
public sealed record WorkerTemplates
{
    /// <summary>The topology's name (builtin <c>machineDeployment.topologyName</c> / <c>machinePool.topologyName</c>).</summary>
    public required string TopologyName { get; init; }

    public required string Class { get; init; }

    /// <summary>The name of the MachineDeployment or MachinePool object (builtin <c>machineDeployment.name</c> /
    /// <c>machinePool.name</c>); left out of the builtins when unset.</summary>
    public string? Name { get; init; }

    /// <summary>The version this worker topology is given in this reconcile.</summary>
    public required string Version { get; init; }

    public int? Replicas { get; init; }

    public required JsonObject Bootstrap { get; init; }

    public required JsonObject Infrastructure { get; init; }
}

/// <summary>What the patch engine returns: the patched objects, or an error.</summary>
public sealed record TopologyPatchResult
{
    public DesiredTemplates? Patched { get; init; }

    public TopologyFieldError? Error { get; init; }

    public static TopologyPatchResult Success(DesiredTemplates patched) => new() { Patched = patched };

    public static TopologyPatchResult Failure(string field, string message) => new() { Error = new(field, message) };
}

/// <summary>An error on one field, e.g. <c>spec.patches[0].definitions[1].jsonPatches[0].valueFrom.variable</c>
/// on the ClusterClass or <c>spec.topology.variables[2].value</c> on the Cluster.</summary>
public sealed record TopologyFieldError(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
