namespace ServerlessCapi.Api;

/// <summary>Condition types of a MachinePool (v1beta2). CAPI's API lists them as the pool's known conditions;
/// its controller so far sets only Paused and the v1beta1 ones (<see cref="MachinePoolV1Beta1Conditions"/>).</summary>
public static class MachinePoolConditions
{
    public const string Available = "Available";
    public const string BootstrapConfigReady = "BootstrapConfigReady";
    public const string InfrastructureReady = "InfrastructureReady";
    public const string MachinesReady = "MachinesReady";
    public const string MachinesUpToDate = "MachinesUpToDate";
    public const string ScalingUp = "ScalingUp";
    public const string ScalingDown = "ScalingDown";
    public const string Remediating = "Remediating";
    public const string Deleting = "Deleting";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons of a MachinePool (v1beta2), named as CAPI names them on MachineSets and Machines.</summary>
public static class MachinePoolReasons
{
    public const string Available = "Available";
    public const string NotAvailable = "NotAvailable";
    public const string BootstrapConfigReady = "Ready";
    public const string BootstrapConfigNotReady = "NotReady";
    public const string BootstrapConfigDoesNotExist = "DoesNotExist";
    public const string BootstrapDataSecretProvided = "DataSecretProvided";
    public const string InfrastructureReady = "Ready";
    public const string InfrastructureNotReady = "NotReady";
    public const string InfrastructureDoesNotExist = "DoesNotExist";
    public const string InfrastructureDeleted = "Deleted";
    public const string MachinesReady = "Ready";
    public const string MachinesNotReady = "NotReady";
    public const string MachinesNoReplicas = "NoReplicas";
    public const string MachinesUpToDate = "UpToDate";
    public const string MachinesNotUpToDate = "NotUpToDate";
    public const string ScalingUp = "ScalingUp";
    public const string NotScalingUp = "NotScalingUp";
    public const string ScalingDown = "ScalingDown";
    public const string NotScalingDown = "NotScalingDown";
    public const string NotRemediating = "NotRemediating";
    public const string Deleting = "Deleting";
    public const string NotDeleting = "NotDeleting";
}

/// <summary>The v1beta1 conditions CAPI's MachinePool controller sets (kept under <c>status.deprecated.v1beta1</c>).</summary>
public static class MachinePoolV1Beta1Conditions
{
    public const string Ready = "Ready";
    public const string BootstrapReady = "BootstrapReady";
    public const string InfrastructureReady = "InfrastructureReady";
    public const string ReplicasReady = "ReplicasReady";
    public const string WaitingForDataSecretFallback = "WaitingForDataSecret";
    public const string WaitingForInfrastructureFallback = "WaitingForInfrastructure";
    public const string WaitingForReplicasReady = "WaitingForReplicasReady";
    public const string IncorrectExternalRef = "IncorrectExternalRef";
}
