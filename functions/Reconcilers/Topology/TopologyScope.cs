using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>What one topology reconcile read and decided: the class and its templates, the Cluster's current parts,
/// and the upgrade state that says which versions the control plane and each MachineDeployment get.</summary>
public sealed class TopologyScope(Api.Cluster cluster, ClusterClass clusterClass)
{
    public Api.Cluster Cluster { get; } = cluster;
    public ClusterClass Class { get; } = clusterClass;
    public string Namespace => Cluster.Metadata.NamespaceProperty;
    public string ClusterName => Cluster.Metadata.Name;
    public ClusterTopology Topology => Cluster.Spec.Topology!;

    public JsonObject InfrastructureTemplate { get; set; } = null!;
    public JsonObject ControlPlaneTemplate { get; set; } = null!;
    public JsonObject? ControlPlaneMachineTemplate { get; set; }
    public Dictionary<string, (JsonObject Bootstrap, JsonObject Infrastructure)> ClassTemplates { get; } = new(StringComparer.Ordinal);

    public JsonObject? CurrentInfrastructure { get; set; }
    public JsonObject? CurrentControlPlane { get; set; }

    /// <summary>Current MachineDeployments by topology name.</summary>
    public Dictionary<string, MachineDeployment> CurrentMachineDeployments { get; } = new(StringComparer.Ordinal);
    public IReadOnlyList<Api.Machine> Machines { get; set; } = [];
    public IReadOnlyList<MachineSet> MachineSets { get; set; } = [];

    // Upgrade state, filled by UpgradeSequence.
    public string ControlPlaneVersion { get; set; } = "";
    public bool ControlPlaneUpgrading { get; set; }
    public bool ControlPlanePendingUpgrade { get; set; }
    public Dictionary<string, string> MachineDeploymentVersions { get; } = new(StringComparer.Ordinal);
    public List<string> UpgradingMachineDeployments { get; } = [];
    public List<string> PendingUpgradeMachineDeployments { get; } = [];
    public List<string> DeferredMachineDeployments { get; } = [];
    public List<string> PendingCreateMachineDeployments { get; } = [];

    public bool IsUpgrading => ControlPlaneUpgrading || ControlPlanePendingUpgrade || UpgradingMachineDeployments.Count > 0
        || PendingUpgradeMachineDeployments.Count > 0 || DeferredMachineDeployments.Count > 0 || PendingCreateMachineDeployments.Count > 0;

    public MachineDeploymentClass? MachineDeploymentClass(string name) =>
        Class.Spec.Workers?.MachineDeployments?.FirstOrDefault(c => c.Class == name);
}
