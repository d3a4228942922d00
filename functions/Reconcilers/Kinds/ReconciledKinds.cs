using ServerlessCapi.Api;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Kube.Relay;
using ClusterReconciler = ServerlessCapi.Reconcilers.Clusters.ClusterReconciler;
using ClusterResourceSetReconciler = ServerlessCapi.Reconcilers.ClusterResourceSets.ClusterResourceSetReconciler;
using DevClusterReconciler = ServerlessCapi.Reconcilers.DevCluster.DevClusterReconciler;
using DevMachinePoolReconciler = ServerlessCapi.Reconcilers.DevMachinePool.DevMachinePoolReconciler;
using DevMachineReconciler = ServerlessCapi.Reconcilers.DevMachine.DevMachineReconciler;
using KubeadmConfigReconciler = ServerlessCapi.Reconcilers.KubeadmConfig.KubeadmConfigReconciler;
using KubeadmControlPlaneReconciler = ServerlessCapi.Reconcilers.KubeadmControlPlane.KubeadmControlPlaneReconciler;
using MachineDeploymentReconciler = ServerlessCapi.Reconcilers.MachineDeployments.MachineDeploymentReconciler;
using MachineHealthCheckReconciler = ServerlessCapi.Reconcilers.MachineHealthChecks.MachineHealthCheckReconciler;
using MachinePoolReconciler = ServerlessCapi.Reconcilers.MachinePools.MachinePoolReconciler;
using MachineReconciler = ServerlessCapi.Reconcilers.Machine.MachineReconciler;
using MachineSetReconciler = ServerlessCapi.Reconcilers.MachineSets.MachineSetReconciler;

namespace ServerlessCapi.Reconcilers.Kinds;

/// <summary>The registry of reconciled kinds: the only place a reconciled kind and its relations are listed. The relay's
/// watch list and aspects, the dispatcher's routes, the reconciler registrations and the admin API derive from it.</summary>
/// <remarks>Adding a kind is one entry here plus its reconciler folder (and its served kind in <see cref="CapiKinds"/>,
/// which also carries kinds nobody reconciles, such as templates). A Cluster hears from its parts only when what it
/// aggregates changed (<see cref="CapiAspects.Availability"/>), and so do MachineHealthChecks from Machines. Objects
/// waiting on a Cluster or a Machine hear of its spec, metadata and milestones (<see cref="CapiAspects.Initialization"/>),
/// not of every condition message.</remarks>
public static class ReconciledKinds
{
    private const string ClusterName = CapiLabels.ClusterName;
    private static readonly string[] AnyChange = [ObjectAspects.Meta, ObjectAspects.Status];
    private static readonly string[] AvailabilityChange = [ObjectAspects.Meta, CapiAspects.Availability.Name];
    private static readonly string[] InitializationChange = [ObjectAspects.Meta, CapiAspects.Initialization.Name];

    private const string PauseWake = "a Cluster that pauses or resumes wakes every object of the cluster";

    public static ReconciledKind Cluster { get; } = new(CapiKinds.Cluster, typeof(ClusterReconciler))
    {
        References = ["spec.infrastructureRef", "spec.controlPlaneRef"],
        WokenBy =
        [
            new(Api.DevCluster.KubeKind, WakeVia.ControllerOwner, Api.Cluster.KubeKind, AvailabilityChange),
            new(Api.KubeadmControlPlane.KubeKind, WakeVia.ControllerOwner, Api.Cluster.KubeKind, AvailabilityChange),
            new(Api.Machine.KubeKind, WakeVia.Label, Api.Cluster.KubeKind, AvailabilityChange, ClusterName),
            new(Api.MachineDeployment.KubeKind, WakeVia.Label, Api.Cluster.KubeKind, AvailabilityChange, ClusterName),
            new(Api.MachineHealthCheck.KubeKind, WakeVia.Label, Api.Cluster.KubeKind, AvailabilityChange, ClusterName),
        ],
        Reads =
        [
            new(Api.DevCluster.KubeKind, ["spec.controlPlaneEndpoint", "status.initialization", "status.ready", "status.failureDomains", "status.conditions.Ready"]),
            new(Api.KubeadmControlPlane.KubeKind, ["spec.controlPlaneEndpoint", "status.initialization", "status.initialized", "status.conditions.Available"]),
            new(Api.Machine.KubeKind, ["metadata.deletionTimestamp", "status.nodeRef", "status.conditions.Ready", "status.conditions.Available", "status.conditions.UpToDate"]),
            new(Api.Machine.KubeKind, ["status.conditions.NodeReady"], "the probe timer wakes the Cluster when its workload cluster's Nodes change"),
            new(Api.MachineDeployment.KubeKind, ["status.conditions.Available"]),
        ],
    };

    public static ReconciledKind Machine { get; } = new(CapiKinds.Machine, typeof(MachineReconciler))
    {
        References = ["spec.infrastructureRef", "spec.bootstrap.configRef"],
        WokenBy =
        [
            new(Api.DevMachine.KubeKind, WakeVia.ControllerOwner, Api.Machine.KubeKind, AnyChange),
            new(Api.KubeadmConfig.KubeKind, WakeVia.ControllerOwner, Api.Machine.KubeKind, AnyChange),
            new(Api.Cluster.KubeKind, WakeVia.Members, Api.Machine.KubeKind, InitializationChange, ClusterName),
        ],
        Reads =
        [
            new(Api.Cluster.KubeKind, ["spec.paused", "metadata.annotations", "status.initialization"]),
            new(Api.KubeadmConfig.KubeKind, ["status.dataSecretName", "status.initialization", "status.conditions.Ready"]),
            new(Api.DevMachine.KubeKind, ["spec.providerID", "status.initialization", "status.addresses", "status.conditions.Ready"]),
            new(Api.MachineDrainRule.KubeKind, ["spec"], "read only while a Node drains, and the drain looks again on its own timer"),
        ],
    };

    public static ReconciledKind MachineSet { get; } = new(CapiKinds.MachineSet, typeof(MachineSetReconciler))
    {
        WokenBy = [new(Api.Machine.KubeKind, WakeVia.ControllerOwner, Api.MachineSet.KubeKind, AnyChange)],
        Reads =
        [
            new(Api.Machine.KubeKind, ["metadata.deletionTimestamp", "status.nodeRef", "status.conditions.Ready", "status.conditions.Available",
                "status.conditions.UpToDate", "status.conditions.HealthCheckSucceeded", "status.conditions.OwnerRemediated"]),
            new(Api.MachineDeployment.KubeKind, ["spec.strategy"], "its MachineDeployment writes the set when its spec changes"),
            new(Api.Cluster.KubeKind, ["spec.paused", "metadata.annotations"], PauseWake),
        ],
    };

    public static ReconciledKind MachineDeployment { get; } = new(CapiKinds.MachineDeployment, typeof(MachineDeploymentReconciler))
    {
        WokenBy = [new(Api.MachineSet.KubeKind, WakeVia.ControllerOwner, Api.MachineDeployment.KubeKind, AnyChange)],
        Reads =
        [
            new(Api.MachineSet.KubeKind, ["spec.replicas", "status.replicas", "status.readyReplicas", "status.availableReplicas", "status.conditions.Available"]),
            new(Api.Machine.KubeKind, ["status.conditions.Ready", "status.conditions.Available", "status.conditions.UpToDate"],
                "its MachineSets' status follows their Machines, and their changes wake it"),
            new(Api.Cluster.KubeKind, ["spec.paused", "metadata.annotations"], PauseWake),
        ],
    };

    /// <summary>A MachinePool hears from its bootstrap config, infrastructure MachinePool and Machines (it controls them all)
    /// and from its Cluster's milestones; the workload Nodes it maps send nothing, so it polls while it waits for them.</summary>
    public static ReconciledKind MachinePool { get; } = new(CapiKinds.MachinePool, typeof(MachinePoolReconciler))
    {
        References = ["spec.template.spec.bootstrap.configRef", "spec.template.spec.infrastructureRef"],
        WokenBy =
        [
            new(Api.DevMachinePool.KubeKind, WakeVia.ControllerOwner, Api.MachinePool.KubeKind, AnyChange),
            new(Api.KubeadmConfig.KubeKind, WakeVia.ControllerOwner, Api.MachinePool.KubeKind, AnyChange),
            new(Api.Machine.KubeKind, WakeVia.ControllerOwner, Api.MachinePool.KubeKind, AnyChange),
            new(Api.Cluster.KubeKind, WakeVia.Members, Api.MachinePool.KubeKind, InitializationChange, ClusterName),
        ],
        Reads =
        [
            new(Api.Cluster.KubeKind, ["spec.paused", "metadata.annotations"]),
            new(Api.KubeadmConfig.KubeKind, ["status.dataSecretName", "status.initialization", "status.ready"]),
            new(Api.DevMachinePool.KubeKind, ["spec.providerIDList", "status.ready", "status.replicas", "status.infrastructureMachineKind"]),
            new(Api.DevMachine.KubeKind, ["spec.providerID"], "its DevMachinePool lists the instances' provider IDs, and that change wakes the pool"),
            new(Api.Machine.KubeKind, ["metadata.deletionTimestamp", "status.conditions.Ready", "status.conditions.Available", "status.conditions.UpToDate"]),
        ],
    };

    public static ReconciledKind MachineHealthCheck { get; } = new(CapiKinds.MachineHealthCheck, typeof(MachineHealthCheckReconciler))
    {
        WokenBy = [new(Api.Machine.KubeKind, WakeVia.LabelledSet, Api.MachineHealthCheck.KubeKind, AvailabilityChange, ClusterName)],
        Reads =
        [
            new(Api.Machine.KubeKind, ["metadata.labels", "metadata.annotations", "metadata.deletionTimestamp", "status.nodeRef"]),
            new(Api.Cluster.KubeKind, ["status.initialization", "status.conditions.InfrastructureReady", "status.conditions.ControlPlaneInitialized"],
                "it looks again at its Node poll interval while it checks Machines"),
        ],
    };

    public static ReconciledKind KubeadmConfig { get; } = new(CapiKinds.KubeadmConfig, typeof(KubeadmConfigReconciler))
    {
        WokenBy =
        [
            new(Api.Machine.KubeKind, WakeVia.Reference, Api.KubeadmConfig.KubeKind, InitializationChange),
            new(Api.MachinePool.KubeKind, WakeVia.Reference, Api.KubeadmConfig.KubeKind, InitializationChange),
            new(Api.Cluster.KubeKind, WakeVia.Members, Api.KubeadmConfig.KubeKind, InitializationChange, ClusterName),
        ],
        Reads =
        [
            new(Api.Machine.KubeKind, ["metadata.labels", "spec.version", "spec.clusterName"]),
            new(Api.MachinePool.KubeKind, ["spec.template", "spec.clusterName", "metadata.deletionTimestamp"]),
            new(Api.Cluster.KubeKind, ["spec.paused", "metadata.annotations", "spec.controlPlaneEndpoint", "spec.clusterNetwork", "status.initialization"]),
        ],
    };

    public static ReconciledKind KubeadmControlPlane { get; } = new(CapiKinds.KubeadmControlPlane, typeof(KubeadmControlPlaneReconciler))
    {
        WokenBy =
        [
            new(Api.Machine.KubeKind, WakeVia.ControllerOwner, Api.KubeadmControlPlane.KubeKind, AnyChange),
            new(Api.Cluster.KubeKind, WakeVia.Reference, Api.KubeadmControlPlane.KubeKind, InitializationChange),
        ],
        Reads =
        [
            new(Api.Machine.KubeKind, ["metadata.deletionTimestamp", "status.nodeRef", "status.conditions.Ready", "status.conditions.UpToDate"]),
            new(Api.Cluster.KubeKind, ["spec.paused", "metadata.annotations", "spec.controlPlaneEndpoint", "status.initialization"]),
        ],
    };

    public static ReconciledKind DevCluster { get; } = new(CapiKinds.DevCluster, typeof(DevClusterReconciler))
    {
        NeedsInMemoryCloud = true,
        WokenBy = [new(Api.Cluster.KubeKind, WakeVia.Reference, Api.DevCluster.KubeKind, InitializationChange)],
        Reads = [new(Api.Cluster.KubeKind, ["spec.paused", "metadata.annotations"])],
    };

    public static ReconciledKind DevMachine { get; } = new(CapiKinds.DevMachine, typeof(DevMachineReconciler))
    {
        NeedsInMemoryCloud = true,
        WokenBy =
        [
            new(Api.Machine.KubeKind, WakeVia.Reference, Api.DevMachine.KubeKind, InitializationChange),
            new(Api.Cluster.KubeKind, WakeVia.Members, Api.DevMachine.KubeKind, InitializationChange, ClusterName),
        ],
        Reads =
        [
            new(Api.Machine.KubeKind, ["spec.bootstrap", "spec.version", "metadata.annotations"]),
            new(Api.MachinePool.KubeKind, ["spec.template.spec.bootstrap", "spec.template.spec.version"],
                "a pool's instances are made only once its bootstrap data exists"),
            new(Api.Cluster.KubeKind, ["spec.paused", "metadata.annotations", "status.initialization"]),
        ],
    };

    public static ReconciledKind DevMachinePool { get; } = new(CapiKinds.DevMachinePool, typeof(DevMachinePoolReconciler))
    {
        NeedsInMemoryCloud = true,
        WokenBy =
        [
            new(Api.MachinePool.KubeKind, WakeVia.Reference, Api.DevMachinePool.KubeKind, InitializationChange),
            new(Api.DevMachine.KubeKind, WakeVia.Owner, Api.DevMachinePool.KubeKind, AnyChange),
        ],
        Reads =
        [
            new(Api.MachinePool.KubeKind, ["spec.replicas", "spec.clusterName", "spec.template.spec.bootstrap", "spec.template.spec.version"]),
            new(Api.Machine.KubeKind, ["metadata.deletionTimestamp", "metadata.annotations"],
                "a deleted Machine deletes its DevMachine, whose change wakes the pool"),
        ],
    };

    /// <summary>ClusterResourceSets are woken by their own changes; the Clusters they select, their ConfigMaps and Secrets
    /// and the workload clusters send them nothing (no relation names a set), so each looks again on a timer.</summary>
    public static ReconciledKind ClusterResourceSet { get; } = new(CapiKinds.ClusterResourceSet, typeof(ClusterResourceSetReconciler))
    {
        Reads =
        [
            new(Api.Cluster.KubeKind, ["metadata.labels", "metadata.deletionTimestamp"], "the set looks again for the Clusters it selects on its resync timer"),
            new(Api.ClusterResourceSetBinding.KubeKind, ["spec.bindings"], "only the sets themselves write the bindings they read"),
        ],
    };

    /// <summary>ClusterClasses are woken by their own changes; when the spec changed they wake the Clusters that use them.</summary>
    public static ReconciledKind ClusterClass { get; } = new(CapiKinds.ClusterClass, typeof(ClusterClasses.ClusterClassReconciler));

    /// <summary>Every reconciled kind, core first.</summary>
    public static IReadOnlyList<ReconciledKind> All { get; } =
        [
            Cluster, ClusterClass, Machine, MachineSet, MachineDeployment, MachinePool, MachineHealthCheck, KubeadmConfig, KubeadmControlPlane, DevCluster, DevMachine,
            DevMachinePool, ClusterResourceSet,
        ];

    private static readonly Dictionary<string, ReconciledKind> ByKind = All.ToDictionary(k => k.Kind, StringComparer.Ordinal);

    /// <summary>The entry for <paramref name="kind"/>, or null when nothing reconciles it.</summary>
    public static ReconciledKind? Find(string kind) => ByKind.GetValueOrDefault(kind);

    public static bool IsReconciled(string kind) => ByKind.ContainsKey(kind);

    /// <summary>The dispatcher's routes: each kind reconciled by the workflow named after it, and every relation.</summary>
    public static EventRoutes Routes()
    {
        var routes = new EventRoutes();
        foreach (var kind in All) routes.Reconcile(kind.Kind);
        foreach (var rule in All.SelectMany(k => k.WokenBy)) routes.Wake(rule);
        return routes;
    }

    /// <summary>What the relay watches when the settings name no kinds, and the aspects it reports.</summary>
    public static void ConfigureRelay(RelayOptions options)
    {
        options.DefaultKinds = [.. All.Select(k => k.ToRelayKind())];
        options.Aspects = CapiAspects.All;
    }
}
