namespace ServerlessCapi.Api;

/// <summary>Condition types CAPI sets on a MachineHealthCheck (v1beta2).</summary>
public static class MachineHealthCheckConditions
{
    public const string RemediationAllowed = "RemediationAllowed";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons CAPI uses on a MachineHealthCheck (v1beta2).</summary>
public static class MachineHealthCheckReasons
{
    public const string TooManyUnhealthy = "TooManyUnhealthy";
    public const string RemediationAllowed = "RemediationAllowed";
    public const string Paused = "Paused";
    public const string NotPaused = "NotPaused";
}
