namespace ServerlessCapi.Reconcilers.ProviderCommon;

/// <summary>How often provider reconcilers look again at things whose changes do not wake them.</summary>
/// <remarks>A Cluster change wakes only its infrastructure cluster and control plane (waking every object
/// of a cluster would be too costly), so objects waiting on the Cluster poll with a durable timer.</remarks>
public static class ProviderTiming
{
    /// <summary>While waiting for the Cluster (infrastructure provisioned, control plane initialised).</summary>
    public static TimeSpan WaitForCluster { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>While waiting for something slow outside the management cluster (a VM being deleted, workers going away).</summary>
    public static TimeSpan WaitForDeletion { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>After an error talking to the cloud or a workload cluster.</summary>
    public static TimeSpan AfterError { get; set; } = TimeSpan.FromSeconds(5);
}
