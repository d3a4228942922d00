namespace ServerlessCapi.Api;

/// <summary>Condition types CAPI sets on a Machine (v1beta2).</summary>
public static class MachineConditions
{
    public const string Available = "Available";
    public const string Ready = "Ready";
    public const string UpToDate = "UpToDate";
    public const string Updating = "Updating";
    public const string BootstrapConfigReady = "BootstrapConfigReady";
    public const string InfrastructureReady = "InfrastructureReady";
    public const string NodeHealthy = "NodeHealthy";
    public const string NodeReady = "NodeReady";
    public const string HealthCheckSucceeded = "HealthCheckSucceeded";
    public const string OwnerRemediated = "OwnerRemediated";
    public const string ExternallyRemediated = "ExternallyRemediated";
    public const string Deleting = "Deleting";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons CAPI uses on a Machine (v1beta2).</summary>
public static class MachineReasons
{
    public const string WaitingForMinReadySeconds = "WaitingForMinReadySeconds";
    public const string Available = "Available";
    public const string AvailableInternalError = "InternalError";
    public const string Ready = "Ready";
    public const string NotReady = "NotReady";
    public const string ReadyUnknown = "ReadyUnknown";
    public const string ReadyInternalError = "InternalError";
    public const string UpToDate = "UpToDate";
    public const string NotUpToDate = "NotUpToDate";
    public const string UpToDateUpdating = "Updating";
    public const string NotUpdating = "NotUpdating";
    public const string InPlaceUpdating = "InPlaceUpdating";
    public const string InPlaceUpdateFailed = "InPlaceUpdateFailed";
    public const string BootstrapDataSecretProvided = "DataSecretProvided";
    public const string BootstrapConfigReady = "Ready";
    public const string BootstrapConfigNotReady = "NotReady";
    public const string BootstrapConfigInvalidConditionReported = "InvalidConditionReported";
    public const string BootstrapConfigInternalError = "InternalError";
    public const string BootstrapConfigDoesNotExist = "ObjectDoesNotExist";
    public const string BootstrapConfigDeleted = "ObjectDeleted";
    public const string InfrastructureReady = "Ready";
    public const string InfrastructureNotReady = "NotReady";
    public const string InfrastructureInvalidConditionReported = "InvalidConditionReported";
    public const string InfrastructureInternalError = "InternalError";
    public const string InfrastructureDoesNotExist = "ObjectDoesNotExist";
    public const string InfrastructureDeleted = "ObjectDeleted";
    public const string NodeReady = "NodeReady";
    public const string NodeNotReady = "NodeNotReady";
    public const string NodeReadyUnknown = "NodeReadyUnknown";
    public const string NodeHealthy = "NodeHealthy";
    public const string NodeNotHealthy = "NodeNotHealthy";
    public const string NodeHealthUnknown = "NodeHealthyUnknown";
    public const string NodeInternalError = "InternalError";
    public const string NodeDoesNotExist = "NodeDoesNotExist";
    public const string NodeDeleted = "NodeDeleted";
    public const string NodeInspectionFailed = "InspectionFailed";
    public const string NodeConnectionDown = "ConnectionDown";
    public const string HealthCheckSucceeded = "HealthCheckSucceeded";
    public const string HealthCheckUnhealthyNode = "UnhealthyNode";
    public const string HealthCheckUnhealthyMachine = "UnhealthyMachine";
    public const string HealthCheckNodeStartupTimeout = "NodeStartupTimeout";
    public const string HealthCheckNodeDeleted = "NodeDeleted";
    public const string HealthCheckHasRemediateAnnotation = "HasRemediateAnnotation";
    public const string OwnerRemediatedWaitingForRemediation = "WaitingForRemediation";
    public const string ExternallyRemediatedWaitingForRemediation = "WaitingForRemediation";
    public const string ExternallyRemediatedRemediationTemplateNotFound = "RemediationTemplateNotFound";
    public const string ExternallyRemediatedRemediationRequestCreationFailed = "RemediationRequestCreationFailed";
    public const string NotDeleting = "NotDeleting";
    public const string Deleting = "Deleting";
    public const string DeletingInternalError = "InternalError";
    public const string DeletingWaitingForPreDrainHook = "WaitingForPreDrainHook";
    public const string DeletingDrainingNode = "DrainingNode";
    public const string DeletingWaitingForVolumeDetach = "WaitingForVolumeDetach";
    public const string DeletingWaitingForPreTerminateHook = "WaitingForPreTerminateHook";
    public const string DeletingWaitingForInfrastructureDeletion = "WaitingForInfrastructureDeletion";
    public const string DeletingWaitingForBootstrapDeletion = "WaitingForBootstrapDeletion";
    public const string DeletingDeletingNode = "DeletingNode";
    public const string DeletingDeletionCompleted = "DeletionCompleted";
    public const string Paused = "Paused";
    public const string NotPaused = "NotPaused";
    public const string WaitingForDataSecret = "WaitingForDataSecret";
}
