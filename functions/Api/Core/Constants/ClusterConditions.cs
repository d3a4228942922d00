namespace ServerlessCapi.Api;

/// <summary>Condition types CAPI sets on a Cluster (v1beta2).</summary>
public static class ClusterConditions
{
    public const string Available = "Available";
    public const string InfrastructureReady = "InfrastructureReady";
    public const string ControlPlaneInitialized = "ControlPlaneInitialized";
    public const string ControlPlaneAvailable = "ControlPlaneAvailable";
    public const string WorkersAvailable = "WorkersAvailable";
    public const string ControlPlaneMachinesReady = "ControlPlaneMachinesReady";
    public const string WorkerMachinesReady = "WorkerMachinesReady";
    public const string ControlPlaneMachinesUpToDate = "ControlPlaneMachinesUpToDate";
    public const string WorkerMachinesUpToDate = "WorkerMachinesUpToDate";
    public const string RemoteConnectionProbe = "RemoteConnectionProbe";
    public const string RollingOut = "RollingOut";
    public const string ScalingUp = "ScalingUp";
    public const string ScalingDown = "ScalingDown";
    public const string Remediating = "Remediating";
    public const string Deleting = "Deleting";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons CAPI uses on a Cluster (v1beta2).</summary>
public static class ClusterReasons
{
    public const string Available = "Available";
    public const string NotAvailable = "NotAvailable";
    public const string AvailableUnknown = "AvailableUnknown";
    public const string AvailableInternalError = "InternalError";
    public const string InfrastructureReady = "Ready";
    public const string InfrastructureNotReady = "NotReady";
    public const string InfrastructureInvalidConditionReported = "InvalidConditionReported";
    public const string InfrastructureInternalError = "InternalError";
    public const string InfrastructureDoesNotExist = "ObjectDoesNotExist";
    public const string InfrastructureDeleted = "ObjectDeleted";
    public const string ControlPlaneInitialized = "Initialized";
    public const string ControlPlaneNotInitialized = "NotInitialized";
    public const string ControlPlaneInitializedInternalError = "InternalError";
    public const string ControlPlaneAvailable = "Available";
    public const string ControlPlaneNotAvailable = "NotAvailable";
    public const string ControlPlaneInvalidConditionReported = "InvalidConditionReported";
    public const string ControlPlaneInternalError = "InternalError";
    public const string ControlPlaneDoesNotExist = "ObjectDoesNotExist";
    public const string ControlPlaneDeleted = "ObjectDeleted";
    public const string WorkersAvailable = "Available";
    public const string WorkersNotAvailable = "NotAvailable";
    public const string WorkersAvailableUnknown = "AvailableUnknown";
    public const string WorkersAvailableNoWorkers = "NoWorkers";
    public const string WorkersAvailableInternalError = "InternalError";
    public const string ControlPlaneMachinesReady = "Ready";
    public const string ControlPlaneMachinesNotReady = "NotReady";
    public const string ControlPlaneMachinesReadyUnknown = "ReadyUnknown";
    public const string ControlPlaneMachinesReadyNoReplicas = "NoReplicas";
    public const string ControlPlaneMachinesReadyInternalError = "InternalError";
    public const string WorkerMachinesReady = "Ready";
    public const string WorkerMachinesNotReady = "NotReady";
    public const string WorkerMachinesReadyUnknown = "ReadyUnknown";
    public const string WorkerMachinesReadyNoReplicas = "NoReplicas";
    public const string WorkerMachinesReadyInternalError = "InternalError";
    public const string ControlPlaneMachinesUpToDate = "UpToDate";
    public const string ControlPlaneMachinesNotUpToDate = "NotUpToDate";
    public const string ControlPlaneMachinesUpToDateUnknown = "UpToDateUnknown";
    public const string ControlPlaneMachinesUpToDateNoReplicas = "NoReplicas";
    public const string ControlPlaneMachinesUpToDateInternalError = "InternalError";
    public const string WorkerMachinesUpToDate = "UpToDate";
    public const string WorkerMachinesNotUpToDate = "NotUpToDate";
    public const string WorkerMachinesUpToDateUnknown = "UpToDateUnknown";
    public const string WorkerMachinesUpToDateNoReplicas = "NoReplicas";
    public const string WorkerMachinesUpToDateInternalError = "InternalError";
    public const string RemoteConnectionProbeFailed = "ProbeFailed";
    public const string RemoteConnectionProbeSucceeded = "ProbeSucceeded";
    public const string RollingOut = "RollingOut";
    public const string NotRollingOut = "NotRollingOut";
    public const string RollingOutUnknown = "RollingOutUnknown";
    public const string RollingOutInternalError = "InternalError";
    public const string ScalingUp = "ScalingUp";
    public const string NotScalingUp = "NotScalingUp";
    public const string ScalingUpUnknown = "ScalingUpUnknown";
    public const string ScalingUpInternalError = "InternalError";
    public const string ScalingDown = "ScalingDown";
    public const string NotScalingDown = "NotScalingDown";
    public const string ScalingDownUnknown = "ScalingDownUnknown";
    public const string ScalingDownInternalError = "InternalError";
    public const string Remediating = "Remediating";
    public const string NotRemediating = "NotRemediating";
    public const string RemediatingInternalError = "InternalError";
    public const string NotDeleting = "NotDeleting";
    public const string DeletingWaitingForBeforeDeleteHook = "WaitingForBeforeDeleteHook";
    public const string DeletingWaitingForWorkersDeletion = "WaitingForWorkersDeletion";
    public const string DeletingWaitingForControlPlaneDeletion = "WaitingForControlPlaneDeletion";
    public const string DeletingWaitingForInfrastructureDeletion = "WaitingForInfrastructureDeletion";
    public const string DeletingDeletionCompleted = "DeletionCompleted";
    public const string DeletingInternalError = "InternalError";
    public const string Paused = "Paused";
    public const string NotPaused = "NotPaused";
}
