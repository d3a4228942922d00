using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>How the last attempt to reach the workload cluster went.</summary>
public enum WorkloadConnection
{
    /// <summary>Not attempted in this reconcile (no providerID yet, or the Cluster is not ready for it).</summary>
    NotAttempted,
    Connected,
    /// <summary>No kubeconfig Secret, or the API did not answer.</summary>
    NotConnected,
    /// <summary>The API answered with an unexpected error.</summary>
    Error,
}

/// <summary>Everything one Machine reconcile observed, plus what the phases decided; the status is computed
/// from it in one place (<see cref="MachineStatusCalculator"/>).</summary>
public sealed class MachineScope(Api.Machine machine, DateTimeOffset now)
{
    public Api.Machine Machine { get; } = machine;

    /// <summary>The reconcile's clock (the engine's), so timers and status agree.</summary>
    public DateTimeOffset Now { get; } = now;

    public Api.Cluster? Cluster { get; set; }

    public JsonObject? BootstrapConfig { get; set; }
    public bool BootstrapConfigNotFound { get; set; }

    public JsonObject? InfraMachine { get; set; }
    public bool InfraMachineNotFound { get; set; }

    public V1Node? Node { get; set; }
    public WorkloadConnection Connection { get; set; }

    /// <summary>The deletion stage (reason and message of the Deleting condition).</summary>
    public string DeletingReason { get; set; } = MachineReasons.Deleting;
    public string DeletingMessage { get; set; } = "Deletion started";

    public bool IsDeleting => Machine.Metadata.DeletionTimestamp is not null;

    public bool IsControlPlaneMachine => Machine.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) == true;

    public bool ClusterInfrastructureProvisioned => Cluster?.Status.Initialization?.InfrastructureProvisioned == true;

    public bool ClusterControlPlaneInitialized => Cluster is not null &&
        (Conditions.IsTrue(Cluster.Status, ClusterConditions.ControlPlaneInitialized) || Cluster.Status.Initialization?.ControlPlaneInitialized == true);
}
