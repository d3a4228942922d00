namespace ServerlessCapi.Api;

/// <summary>Values of Machine <c>status.phase</c>.</summary>
public static class MachinePhase
{
    public const string Pending = "Pending";
    public const string Provisioning = "Provisioning";
    public const string Provisioned = "Provisioned";
    public const string Running = "Running";
    public const string Updating = "Updating";
    public const string Deleting = "Deleting";
    public const string Deleted = "Deleted";

    /// <summary>Not set under v1beta2; kept so old objects still parse to a known value.</summary>
    public const string Failed = "Failed";
    public const string Unknown = "Unknown";
}

/// <summary>Values of Cluster <c>status.phase</c>.</summary>
public static class ClusterPhase
{
    public const string Pending = "Pending";
    public const string Provisioning = "Provisioning";
    public const string Provisioned = "Provisioned";
    public const string Deleting = "Deleting";
    public const string Failed = "Failed";
    public const string Unknown = "Unknown";
}

/// <summary>Values of MachineDeployment <c>status.phase</c>.</summary>
public static class MachineDeploymentPhase
{
    public const string ScalingUp = "ScalingUp";
    public const string ScalingDown = "ScalingDown";
    public const string Running = "Running";
    public const string Failed = "Failed";
    public const string Unknown = "Unknown";
}

/// <summary>Values of MachinePool <c>status.phase</c>.</summary>
public static class MachinePoolPhase
{
    public const string Pending = "Pending";
    public const string Provisioning = "Provisioning";
    public const string Provisioned = "Provisioned";
    public const string Running = "Running";
    public const string ScalingUp = "ScalingUp";
    public const string ScalingDown = "ScalingDown";

    /// <summary>Replicas differ from the ready count while an external autoscaler owns <c>spec.replicas</c>.</summary>
    public const string Scaling = "Scaling";
    public const string Deleting = "Deleting";
    public const string Failed = "Failed";
    public const string Unknown = "Unknown";
}
