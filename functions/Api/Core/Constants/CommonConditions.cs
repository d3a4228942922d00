namespace ServerlessCapi.Api;

/// <summary>Condition types shared by many kinds (v1beta2).</summary>
public static class CommonConditions
{
    public const string Available = "Available";
    public const string Ready = "Ready";
    public const string BootstrapConfigReady = "BootstrapConfigReady";
    public const string InfrastructureReady = "InfrastructureReady";
    public const string MachinesReady = "MachinesReady";
    public const string MachinesUpToDate = "MachinesUpToDate";
    public const string RollingOut = "RollingOut";
    public const string ScalingUp = "ScalingUp";
    public const string ScalingDown = "ScalingDown";
    public const string Remediating = "Remediating";
    public const string Deleting = "Deleting";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons shared by many kinds (v1beta2).</summary>
public static class CommonReasons
{
    public const string Available = "Available";
    public const string NotAvailable = "NotAvailable";
    public const string AvailableUnknown = "AvailableUnknown";
    public const string Ready = "Ready";
    public const string NotReady = "NotReady";
    public const string ReadyUnknown = "ReadyUnknown";
    public const string UpToDate = "UpToDate";
    public const string NotUpToDate = "NotUpToDate";
    public const string UpToDateUnknown = "UpToDateUnknown";
    public const string RollingOut = "RollingOut";
    public const string NotRollingOut = "NotRollingOut";
    public const string ScalingUp = "ScalingUp";
    public const string NotScalingUp = "NotScalingUp";
    public const string ScalingDown = "ScalingDown";
    public const string NotScalingDown = "NotScalingDown";
    public const string Remediating = "Remediating";
    public const string NotRemediating = "NotRemediating";
    public const string NoReplicas = "NoReplicas";
    public const string WaitingForReplicasSet = "WaitingForReplicasSet";
    public const string InvalidConditionReported = "InvalidConditionReported";
    public const string InternalError = "InternalError";
    public const string ObjectDoesNotExist = "ObjectDoesNotExist";
    public const string ObjectDeleted = "ObjectDeleted";
    public const string NotPaused = "NotPaused";
    public const string Paused = "Paused";
    public const string ConnectionDown = "ConnectionDown";
    public const string NotDeleting = "NotDeleting";
    public const string Deleting = "Deleting";
    public const string DeletionCompleted = "DeletionCompleted";
    public const string InspectionFailed = "InspectionFailed";
    public const string WaitingForClusterInfrastructureReady = "WaitingForClusterInfrastructureReady";
    public const string WaitingForControlPlaneInitialized = "WaitingForControlPlaneInitialized";
    public const string WaitingForBootstrapData = "WaitingForBootstrapData";
    public const string Provisioned = "Provisioned";
    public const string NotProvisioned = "NotProvisioned";
}
