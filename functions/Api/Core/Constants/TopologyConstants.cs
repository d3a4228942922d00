namespace ServerlessCapi.Api;

/// <summary>The conditions of a ClusterClass (v1beta2).</summary>
public static class ClusterClassConditions
{
    /// <summary>True when the class's variables (inline and discovered) were collected without conflict.</summary>
    public const string VariablesReady = "VariablesReady";

    /// <summary>True when every template reference of the class names the contract's current API version.</summary>
    public const string RefVersionsUpToDate = "RefVersionsUpToDate";

    public const string Paused = "Paused";
}

/// <summary>Reasons of the ClusterClass conditions.</summary>
public static class ClusterClassReasons
{
    public const string VariablesReady = "VariablesReady";
    public const string VariableDiscoveryFailed = "VariableDiscoveryFailed";
    public const string RefVersionsUpToDate = "RefVersionsUpToDate";
    public const string RefVersionsNotUpToDate = "RefVersionsNotUpToDate";
    public const string InternalError = "InternalError";
}

/// <summary>The TopologyReconciled condition of a Cluster with a managed topology.</summary>
public static class TopologyConditions
{
    public const string TopologyReconciled = "TopologyReconciled";
}

/// <summary>Reasons of <see cref="TopologyConditions.TopologyReconciled"/>.</summary>
public static class TopologyReasons
{
    public const string ReconcileSucceeded = "ReconcileSucceeded";
    public const string ReconcileFailed = "ReconcileFailed";
    public const string ClusterCreating = "ClusterCreating";
    public const string ControlPlaneUpgradePending = "ControlPlaneUpgradePending";
    public const string MachineDeploymentsCreatePending = "MachineDeploymentsCreatePending";
    public const string MachineDeploymentsUpgradePending = "MachineDeploymentsUpgradePending";
    public const string MachineDeploymentsUpgradeDeferred = "MachineDeploymentsUpgradeDeferred";
    public const string MachinePoolsUpgradePending = "MachinePoolsUpgradePending";
    public const string MachinePoolsCreatePending = "MachinePoolsCreatePending";
    public const string MachinePoolsUpgradeDeferred = "MachinePoolsUpgradeDeferred";
    public const string LifecycleHookBlocking = "LifecycleHookBlocking";
    public const string ClusterUpgrading = "ClusterUpgrading";
    public const string ClusterClassNotReconciled = "ClusterClassNotReconciled";
    public const string Deleting = "Deleting";
    public const string Paused = "Paused";
}

/// <summary>Labels and annotations of managed topologies.</summary>
public static class TopologyMetadata
{
    /// <summary>Label on every object the topology reconciler manages.</summary>
    public const string OwnedLabel = CapiLabels.TopologyOwned;

    /// <summary>Label on a generated MachineDeployment (and its templates) naming its topology.</summary>
    public const string DeploymentNameLabel = CapiLabels.TopologyDeploymentName;

    /// <summary>Label on a generated MachinePool (and its templates) naming its topology.</summary>
    public const string PoolNameLabel = "topology.cluster.x-k8s.io/pool-name";

    /// <summary>On a MachineDeployment or MachinePool topology: defer its upgrade and that of every later one.</summary>
    public const string HoldUpgradeSequenceAnnotation = "topology.cluster.x-k8s.io/hold-upgrade-sequence";

    /// <summary>On a MachineDeployment or MachinePool topology: defer its upgrade only.</summary>
    public const string DeferUpgradeAnnotation = "topology.cluster.x-k8s.io/defer-upgrade";

    /// <summary>On the Cluster: how many worker topologies upgrade at once (default 1).</summary>
    public const string UpgradeConcurrencyAnnotation = "topology.cluster.x-k8s.io/upgrade-concurrency";

    /// <summary>The control plane version of the upgrade step in progress.</summary>
    public const string UpgradeStepAnnotation = "topology.internal.cluster.x-k8s.io/upgrade-step";

    public const string DryRunAnnotation = "topology.cluster.x-k8s.io/dry-run";

    /// <summary>On the Cluster: let the webhook accept a topology added to an existing Cluster.</summary>
    public const string UnsafeUpdateClassNameAnnotation = "unsafe.topology.cluster.x-k8s.io/disable-update-class-name-check";

    /// <summary>On the Cluster: let the webhook accept any version change.</summary>
    public const string UnsafeUpdateVersionAnnotation = "unsafe.topology.cluster.x-k8s.io/disable-update-version-check";
}
