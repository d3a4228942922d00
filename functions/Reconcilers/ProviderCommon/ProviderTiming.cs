namespace ServerlessCapi.Reconcilers.ProviderCommon;

/// <summary>How often provider reconcilers look again at things whose changes do not wake them.</summary>
/// <remarks>A Cluster whose availability changes wakes its infrastructure cluster, control plane, bootstrap configs
/// and infrastructure machines (the dispatcher's routes); the timers here are the safety net for anything missed. The
/// waits for the Cluster and while scaling are polls that back off while they find nothing new (up to their limits), so
/// a thousand clusters waiting are not a thousand steady pollers.</remarks>
public static class ProviderTiming
{
    /// <summary>While waiting for the Cluster (infrastructure provisioned, control plane initialised).</summary>
    public static TimeSpan WaitForCluster { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between quiet looks at the Cluster.</summary>
    public static TimeSpan WaitForClusterLimit { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>While a control plane is scaling. Its Machines' changes wake it (it owns them), and each Machine
    /// watches for its own Node, so this is a safety net too.</summary>
    public static TimeSpan WhileScaling { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between quiet looks while scaling. (At 30 s, a thousand control planes coming up
    /// took a quarter of the engine's steps with looks that found nothing.)</summary>
    public static TimeSpan WhileScalingLimit { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>A safety-net look at the Cluster.</summary>
    public static Framework.ReconcileResult PollCluster(string summary) => Framework.ReconcileResult.Poll(WaitForCluster, WaitForClusterLimit, summary);

    /// <summary>While waiting for something slow outside the management cluster (a VM being deleted, workers going away).</summary>
    public static TimeSpan WaitForDeletion { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between quiet looks while waiting for a deletion.</summary>
    public static TimeSpan WaitForDeletionLimit { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A look again at a deletion in progress: soon, then less often while nothing goes (a thousand clusters
    /// deleting at once looked every second each).</summary>
    public static Framework.ReconcileResult PollDeletion(string summary) => Framework.ReconcileResult.Poll(WaitForDeletion, WaitForDeletionLimit, summary);

    /// <summary>After an error talking to the cloud or a workload cluster.</summary>
    public static TimeSpan AfterError { get; set; } = TimeSpan.FromSeconds(5);
}
