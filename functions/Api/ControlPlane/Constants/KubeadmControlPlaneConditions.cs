namespace ServerlessCapi.Api;

/// <summary>Condition types CAPI sets on a KubeadmControlPlane (v1beta2).</summary>
public static class KubeadmControlPlaneConditions
{
    public const string Available = "Available";
    public const string Initialized = "Initialized";
    public const string CertificatesAvailable = "CertificatesAvailable";
    public const string EtcdClusterHealthy = "EtcdClusterHealthy";
    public const string ControlPlaneComponentsHealthy = "ControlPlaneComponentsHealthy";
    public const string MachinesReady = "MachinesReady";
    public const string MachinesUpToDate = "MachinesUpToDate";
    public const string RollingOut = "RollingOut";
    public const string ScalingUp = "ScalingUp";
    public const string ScalingDown = "ScalingDown";
    public const string Remediating = "Remediating";
    public const string Deleting = "Deleting";
    public const string MachineAPIServerPodHealthy = "APIServerPodHealthy";
    public const string MachineControllerManagerPodHealthy = "ControllerManagerPodHealthy";
    public const string MachineSchedulerPodHealthy = "SchedulerPodHealthy";
    public const string MachineEtcdPodHealthy = "EtcdPodHealthy";
    public const string MachineEtcdMemberHealthy = "EtcdMemberHealthy";
    public const string MachineNodeKubeadmLabelsAndTaintsSet = "NodeKubeadmLabelsAndTaintsSet";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons CAPI uses on a KubeadmControlPlane (v1beta2).</summary>
public static class KubeadmControlPlaneReasons
{
    public const string AvailableInspectionFailed = "InspectionFailed";
    public const string Available = "Available";
    public const string NotAvailable = "NotAvailable";
    public const string Initialized = "Initialized";
    public const string NotInitialized = "NotInitialized";
    public const string CertificatesInternalError = "InternalError";
    public const string CertificatesAvailable = "Available";
    public const string CertificatesNotAvailable = "NotAvailable";
    public const string EtcdClusterInspectionFailed = "InspectionFailed";
    public const string EtcdClusterConnectionDown = "ConnectionDown";
    public const string EtcdClusterHealthy = "Healthy";
    public const string EtcdClusterNotHealthy = "NotHealthy";
    public const string EtcdClusterHealthUnknown = "HealthUnknown";
    public const string ControlPlaneComponentsInspectionFailed = "InspectionFailed";
    public const string ControlPlaneComponentsConnectionDown = "ConnectionDown";
    public const string ControlPlaneComponentsHealthy = "Healthy";
    public const string ControlPlaneComponentsNotHealthy = "NotHealthy";
    public const string ControlPlaneComponentsHealthUnknown = "HealthUnknown";
    public const string MachinesReady = "Ready";
    public const string MachinesNotReady = "NotReady";
    public const string MachinesReadyUnknown = "ReadyUnknown";
    public const string MachinesReadyNoReplicas = "NoReplicas";
    public const string MachinesReadyInternalError = "InternalError";
    public const string MachinesUpToDate = "UpToDate";
    public const string MachinesNotUpToDate = "NotUpToDate";
    public const string MachinesUpToDateUnknown = "UpToDateUnknown";
    public const string MachinesUpToDateNoReplicas = "NoReplicas";
    public const string MachinesUpToDateInternalError = "InternalError";
    public const string RollingOut = "RollingOut";
    public const string NotRollingOut = "NotRollingOut";
    public const string ScalingUp = "ScalingUp";
    public const string NotScalingUp = "NotScalingUp";
    public const string ScalingUpWaitingForReplicasSet = "WaitingForReplicasSet";
    public const string ScalingDown = "ScalingDown";
    public const string NotScalingDown = "NotScalingDown";
    public const string ScalingDownWaitingForReplicasSet = "WaitingForReplicasSet";
    public const string Remediating = "Remediating";
    public const string NotRemediating = "NotRemediating";
    public const string RemediatingInternalError = "InternalError";
    public const string MachineRemediationInternalError = "InternalError";
    public const string MachineCannotBeRemediated = "CannotBeRemediated";
    public const string MachineRemediationDeferred = "RemediationDeferred";
    public const string MachineRemediationMachineDeleting = "MachineDeleting";
    public const string NotDeleting = "NotDeleting";
    public const string DeletingWaitingForWorkersDeletion = "WaitingForWorkersDeletion";
    public const string DeletingWaitingForMachineDeletion = "WaitingForMachineDeletion";
    public const string DeletingDeletionCompleted = "DeletionCompleted";
    public const string DeletingInternalError = "InternalError";
    public const string MachinePodRunning = "Running";
    public const string MachinePodProvisioning = "Provisioning";
    public const string MachinePodDoesNotExist = "DoesNotExist";
    public const string MachinePodFailed = "Failed";
    public const string MachinePodInspectionFailed = "InspectionFailed";
    public const string MachinePodConnectionDown = "ConnectionDown";
    public const string MachinePodDeleting = "Deleting";
    public const string MachineEtcdMemberNotHealthy = "NotHealthy";
    public const string MachineEtcdMemberHealthy = "Healthy";
    public const string MachineEtcdMemberInspectionFailed = "InspectionFailed";
    public const string MachineEtcdMemberConnectionDown = "ConnectionDown";
    public const string MachineEtcdMemberDeleting = "Deleting";
    public const string MachineNodeKubeadmLabelsAndTaintsInspectionFailed = "InspectionFailed";
    public const string MachineNodeKubeadmLabelsAndTaintsConnectionDown = "ConnectionDown";
    public const string MachineNodeKubeadmLabelsAndTaintsNotSet = "NotSet";
    public const string MachineNodeKubeadmLabelsAndTaintsSet = "Set";
    public const string MachineNodeKubeadmLabelsAndTaintsDeleting = "Deleting";
    public const string Paused = "Paused";
    public const string NotPaused = "NotPaused";
}
