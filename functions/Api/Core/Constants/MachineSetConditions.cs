namespace ServerlessCapi.Api;

/// <summary>Condition types CAPI sets on a MachineSet (v1beta2).</summary>
public static class MachineSetConditions
{
    public const string ScalingUp = "ScalingUp";
    public const string ScalingDown = "ScalingDown";
    public const string MachinesReady = "MachinesReady";
    public const string MachinesUpToDate = "MachinesUpToDate";
    public const string Remediating = "Remediating";
    public const string Deleting = "Deleting";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons CAPI uses on a MachineSet (v1beta2).</summary>
public static class MachineSetReasons
{
    public const string ScalingUp = "ScalingUp";
    public const string NotScalingUp = "NotScalingUp";
    public const string ScalingUpInternalError = "InternalError";
    public const string ScalingUpWaitingForReplicasSet = "WaitingForReplicasSet";
    public const string ScalingDown = "ScalingDown";
    public const string NotScalingDown = "NotScalingDown";
    public const string ScalingDownInternalError = "InternalError";
    public const string ScalingDownWaitingForReplicasSet = "WaitingForReplicasSet";
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
    public const string Remediating = "Remediating";
    public const string NotRemediating = "NotRemediating";
    public const string RemediatingInternalError = "InternalError";
    public const string MachineCannotBeRemediated = "CannotBeRemediated";
    public const string MachineRemediationDeferred = "RemediationDeferred";
    public const string MachineRemediationMachineDeleting = "MachineDeleting";
    public const string NotDeleting = "NotDeleting";
    public const string Deleting = "Deleting";
    public const string DeletingInternalError = "InternalError";
    public const string Paused = "Paused";
    public const string NotPaused = "NotPaused";
}
