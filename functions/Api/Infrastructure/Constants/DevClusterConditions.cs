namespace ServerlessCapi.Api;

/// <summary>Condition types CAPI sets on a DevCluster (v1beta2).</summary>
public static class DevClusterConditions
{
    public const string Ready = "Ready";
    public const string DockerLoadBalancerAvailable = "LoadBalancerAvailable";
    public const string Paused = "Paused";
}

/// <summary>Condition reasons CAPI uses on a DevCluster (v1beta2).</summary>
public static class DevClusterReasons
{
    public const string Ready = "Ready";
    public const string NotReady = "NotReady";
    public const string ReadyUnknown = "ReadyUnknown";
    public const string DockerLoadBalancerNotAvailable = "NotAvailable";
    public const string DockerLoadBalancerAvailable = "Available";
    public const string DockerLoadBalancerDeleting = "Deleting";
    public const string Paused = "Paused";
    public const string NotPaused = "NotPaused";
}
