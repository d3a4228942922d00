namespace ServerlessCapi.Api;

/// <summary>Labels CAPI puts on and reads from objects.</summary>
public static class CapiLabels
{
    public const string ClusterName = "cluster.x-k8s.io/cluster-name";
    public const string ControlPlane = "cluster.x-k8s.io/control-plane";
    public const string ControlPlaneName = "cluster.x-k8s.io/control-plane-name";
    public const string SetName = "cluster.x-k8s.io/set-name";
    public const string DeploymentName = "cluster.x-k8s.io/deployment-name";
    public const string PoolName = "cluster.x-k8s.io/pool-name";
    public const string ProviderName = "cluster.x-k8s.io/provider";
    public const string WatchFilter = "cluster.x-k8s.io/watch-filter";
    public const string Interruptible = "cluster.x-k8s.io/interruptible";

    /// <summary>On a Pod in a workload cluster: <c>skip</c> or <c>wait-completed</c>, ahead of any MachineDrainRule.</summary>
    public const string PodDrain = "cluster.x-k8s.io/drain";

    /// <summary>Hash of a MachineDeployment's template, set on its MachineSets and Machines.</summary>
    public const string MachineDeploymentUnique = "machine-template-hash";

    public const string TopologyOwned = "topology.cluster.x-k8s.io/owned";
    public const string TopologyDeploymentName = "topology.cluster.x-k8s.io/deployment-name";

    /// <summary>Label on provider CRDs naming the contract version; the value lists the CRD's versions
    /// joined by <c>_</c>.</summary>
    public const string ContractV1Beta2 = "cluster.x-k8s.io/v1beta2";

    public const string NodeRolePrefix = "node-role.kubernetes.io";
    public const string NodeRestrictionDomain = "node-restriction.kubernetes.io";
    public const string ManagedNodeDomain = "node.cluster.x-k8s.io";
}

/// <summary>Annotations CAPI puts on and reads from objects.</summary>
public static class CapiAnnotations
{
    public const string Paused = "cluster.x-k8s.io/paused";
    public const string DeleteMachine = "cluster.x-k8s.io/delete-machine";
    public const string SkipRemediation = "cluster.x-k8s.io/skip-remediation";
    public const string RemediateMachine = "cluster.x-k8s.io/remediate-machine";
    public const string DisableMachineCreate = "cluster.x-k8s.io/disable-machine-create";
    public const string ClusterName = "cluster.x-k8s.io/cluster-name";
    public const string ClusterNamespace = "cluster.x-k8s.io/cluster-namespace";
    public const string Machine = "cluster.x-k8s.io/machine";
    public const string OwnerKind = "cluster.x-k8s.io/owner-kind";
    public const string OwnerName = "cluster.x-k8s.io/owner-name";
    public const string LabelsFromMachine = "cluster.x-k8s.io/labels-from-machine";
    public const string AnnotationsFromMachine = "cluster.x-k8s.io/annotations-from-machine";
    public const string TaintsFromMachine = "cluster.x-k8s.io/taints-from-machine";
    public const string ClonedFromName = "cluster.x-k8s.io/cloned-from-name";
    public const string ClonedFromGroupKind = "cluster.x-k8s.io/cloned-from-groupkind";
    public const string ManagedBy = "cluster.x-k8s.io/managed-by";
    public const string ReplicasManagedBy = "cluster.x-k8s.io/replicas-managed-by";
    public const string AutoscalerMinSize = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-min-size";
    public const string AutoscalerMaxSize = "cluster.x-k8s.io/cluster-api-autoscaler-node-group-max-size";

    /// <summary>Prefix of pre-drain hook annotations: <c>pre-drain.delete.hook.machine.cluster.x-k8s.io/&lt;name&gt;</c>.</summary>
    public const string PreDrainDeleteHookPrefix = "pre-drain.delete.hook.machine.cluster.x-k8s.io";

    /// <summary>Prefix of pre-terminate hook annotations: <c>pre-terminate.delete.hook.machine.cluster.x-k8s.io/&lt;name&gt;</c>.</summary>
    public const string PreTerminateDeleteHookPrefix = "pre-terminate.delete.hook.machine.cluster.x-k8s.io";

    public const string ExcludeNodeDraining = "machine.cluster.x-k8s.io/exclude-node-draining";
    public const string ExcludeWaitForNodeVolumeDetach = "machine.cluster.x-k8s.io/exclude-wait-for-node-volume-detach";
    public const string MachineCertificatesExpiry = "machine.cluster.x-k8s.io/certificates-expiry";
    public const string MachineSetSkipPreflightChecks = "machineset.cluster.x-k8s.io/skip-preflight-checks";

    /// <summary>MachineDeployment revision recorded on MachineSets.</summary>
    public const string Revision = "machinedeployment.clusters.x-k8s.io/revision";
    public const string DesiredReplicas = "machinedeployment.clusters.x-k8s.io/desired-replicas";
    public const string MaxReplicas = "machinedeployment.clusters.x-k8s.io/max-replicas";

    public const string KcpSkipCoreDns = "controlplane.cluster.x-k8s.io/skip-coredns";
    public const string KcpSkipKubeProxy = "controlplane.cluster.x-k8s.io/skip-kube-proxy";
    public const string KcpRemediationInProgress = "controlplane.cluster.x-k8s.io/remediation-in-progress";
    public const string KcpRemediationFor = "controlplane.cluster.x-k8s.io/remediation-for";

    /// <summary>Whether <paramref name="annotations"/> holds a hook with the given prefix
    /// (<see cref="PreDrainDeleteHookPrefix"/> or <see cref="PreTerminateDeleteHookPrefix"/>).</summary>
    public static bool HasHook(IDictionary<string, string>? annotations, string hookPrefix) =>
        annotations is not null && annotations.Keys.Any(k => k.StartsWith(hookPrefix + "/", StringComparison.Ordinal));
}

/// <summary>Finalizers CAPI's controllers and providers add. KubeadmConfig has none: its data Secret goes
/// with it through the owner reference.</summary>
public static class CapiFinalizers
{
    public const string Cluster = "cluster.cluster.x-k8s.io";
    public const string Machine = "machine.cluster.x-k8s.io";
    public const string MachineSet = "cluster.x-k8s.io/machineset";
    public const string MachineDeployment = "cluster.x-k8s.io/machinedeployment";
    public const string KubeadmControlPlane = "kubeadm.controlplane.cluster.x-k8s.io";
    public const string MachinePool = "machinepool.cluster.x-k8s.io";

    /// <summary>The test provider's DevCluster finalizer (named after its docker origin).</summary>
    public const string DevCluster = "dockercluster.infrastructure.cluster.x-k8s.io";

    /// <summary>The test provider's DevMachine finalizer (named after its docker origin).</summary>
    public const string DevMachine = "dockermachine.infrastructure.cluster.x-k8s.io";

    /// <summary>The test provider's DevMachinePool finalizer (named after its docker origin).</summary>
    public const string DevMachinePool = "dockermachinepool.infrastructure.cluster.x-k8s.io";
}
