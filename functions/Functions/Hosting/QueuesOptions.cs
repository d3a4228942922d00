namespace ServerlessCapi.Functions.Hosting;

/// <summary>host.json <c>extensions.queues</c>, with the names and defaults Azure Functions uses.</summary>
public sealed class QueuesOptions
{
    public const string Section = "AzureFunctionsJobHost:extensions:queues";

    /// <summary>Messages fetched per receive (1–32).</summary>
    public int BatchSize { get; set; } = 16;

    /// <summary>Fetch the next batch when this many or fewer handlers still run; default half the batch.</summary>
    public int? NewBatchThreshold { get; set; }

    /// <summary>The longest wait between polls of an empty queue.</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long a failed message stays invisible before its next attempt.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.Zero;

    /// <summary>Attempts before a message moves to the <c>-poison</c> queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary><c>base64</c> (the Functions default) or <c>none</c>.</summary>
    public string MessageEncoding { get; set; } = "base64";

    public int EffectiveNewBatchThreshold => NewBatchThreshold ?? BatchSize / 2;

    public bool Base64 => !string.Equals(MessageEncoding, "none", StringComparison.OrdinalIgnoreCase);

    public void Validate()
    {
        if (BatchSize is < 1 or > 32) throw new InvalidOperationException("extensions.queues.batchSize must be between 1 and 32.");
        if (EffectiveNewBatchThreshold < 0) throw new InvalidOperationException("extensions.queues.newBatchThreshold must not be negative.");
        if (MaxDequeueCount < 1) throw new InvalidOperationException("extensions.queues.maxDequeueCount must be at least 1.");
        if (MaxPollingInterval <= TimeSpan.Zero) throw new InvalidOperationException("extensions.queues.maxPollingInterval must be positive.");
        if (VisibilityTimeout < TimeSpan.Zero) throw new InvalidOperationException("extensions.queues.visibilityTimeout must not be negative.");
    }
}

/// <summary>The runtime's own settings (not in Azure Functions), section <c>FunctionApp</c> of the app settings.</summary>
public sealed class FunctionAppOptions
{
    public const string Section = "FunctionApp";

    /// <summary>How long a message being processed stays hidden; renewed at half this while the handler runs.</summary>
    public TimeSpan QueueMessageLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>The first wait after an empty poll; doubles up to <c>maxPollingInterval</c>.</summary>
    public TimeSpan MinPollingInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Blob container holding timer leases and last-run records.</summary>
    public string TimersContainer { get; set; } = "scapi-timers";

    /// <summary>Blob lease length for timer singletons (15–60 s); a standby takes over within this after a crash.</summary>
    public TimeSpan TimerLease { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often a standby instance tries to take a timer's lease.</summary>
    public TimeSpan TimerLeaseRetry { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often queue depths are sampled for <c>/metrics</c>.</summary>
    public TimeSpan QueueDepthInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long an in-flight handler may finish after shutdown begins.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
