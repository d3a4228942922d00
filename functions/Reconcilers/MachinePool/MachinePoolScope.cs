using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.MachinePools;

/// <summary>What one MachinePool reconcile observed; the status is computed from it at the end.</summary>
public sealed class MachinePoolScope(Api.MachinePool pool, DateTimeOffset now)
{
    public Api.MachinePool Pool { get; } = pool;
    public DateTimeOffset Now { get; } = now;
    public string Namespace => Pool.Metadata.NamespaceProperty;
    public bool IsDeleting => Pool.Metadata.DeletionTimestamp is not null;

    public Api.Cluster? Cluster { get; set; }
    public JsonObject? BootstrapConfig { get; set; }
    public bool BootstrapConfigNotFound { get; set; }
    public JsonObject? InfraPool { get; set; }
    public bool InfraPoolNotFound { get; set; }

    /// <summary>The workload cluster, once its kubeconfig exists.</summary>
    public KubeApi? Workload { get; set; }

    /// <summary>The workload cluster's Nodes by provider ID (null: not read).</summary>
    public Dictionary<string, V1Node>? NodesByProviderId { get; set; }

    /// <summary>The pool's Machines (one per infrastructure machine instance), when the provider reports their kind.</summary>
    public IReadOnlyList<Api.Machine> Machines { get; set; } = [];

    /// <summary>The infrastructure MachinePool reports <c>status.infrastructureMachineKind</c>.</summary>
    public bool HasMachinePoolMachines { get; set; }
}
