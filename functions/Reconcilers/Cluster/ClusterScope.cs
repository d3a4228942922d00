using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Clusters;

/// <summary>What one Cluster reconcile observed, plus the deletion stage it decided.</summary>
public sealed class ClusterScope(Api.Cluster cluster, DateTimeOffset now)
{
    public Api.Cluster Cluster { get; } = cluster;
    public DateTimeOffset Now { get; } = now;

    public JsonObject? InfraCluster { get; set; }
    public bool InfraClusterNotFound { get; set; }

    public JsonObject? ControlPlane { get; set; }
    public bool ControlPlaneNotFound { get; set; }

    /// <summary>False when listing the cluster's descendants failed (their summaries are then unknown).</summary>
    public bool DescendantsRead { get; set; } = true;
    public IReadOnlyList<Api.Machine> Machines { get; set; } = [];
    public IReadOnlyList<MachineSet> MachineSets { get; set; } = [];
    public IReadOnlyList<MachineDeployment> MachineDeployments { get; set; } = [];

    /// <summary>The connection probe's result, or null when it was not attempted (control plane not initialized).</summary>
    public ProbeResult? Probe { get; set; }

    public string DeletingReason { get; set; } = CommonReasons.Deleting;
    public string DeletingMessage { get; set; } = "Deletion started";

    public bool IsDeleting => Cluster.Metadata.DeletionTimestamp is not null;

    public IEnumerable<Api.Machine> ControlPlaneMachines => Machines.Where(m => m.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) == true);
    public IEnumerable<Api.Machine> WorkerMachines => Machines.Where(m => m.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) != true);
}
