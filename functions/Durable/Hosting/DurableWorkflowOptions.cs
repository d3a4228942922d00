using System.Text.Json;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Durable;

/// <summary>Settings of the workflow engine: storage, partitioning, polling, retries, retention.</summary>
public sealed partial class DurableWorkflowOptions
{
    /// <summary>The storage account (an Azure Storage or Azurite connection string).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every table, queue and container (lowercase letters and digits, 3–40 characters).</summary>
    public string HubName { get; set; } = "scapi";

    /// <summary>Number of control queues; fixed for the life of a hub (it decides where an instance's messages go).</summary>
    public int PartitionCount { get; set; } = 4;

    /// <summary>Whether this process processes instance messages (false: a client only).</summary>
    public bool EnableWorker { get; set; } = true;

    /// <summary>Identifies this worker for partition leases; keep it stable across restarts of one replica so it can
    /// take its leases straight back.</summary>
    public string WorkerId { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public int MaxConcurrentSteps { get; set; } = 16;
    public int ReceiveBatchSize { get; set; } = 32;

    /// <summary>How long a received message stays hidden; renewed while a step runs longer than half of it.</summary>
    public TimeSpan VisibilityTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Idle polling backs off up to this interval (local sends and armed timers wake a poller sooner).</summary>
    public TimeSpan MaxPollingInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deliveries after which a message whose processing keeps failing moves to the poison queue.</summary>
    public int MaxDequeueCount { get; set; } = 5;

    /// <summary>Consecutive failed steps after which an instance becomes Failed; unset (the default) retries for ever, as a
    /// controller's work queue does: only a workflow's own terminal result ends it. An API server outage longer than a
    /// fixed number of attempts must not leave objects unreconciled for good.</summary>
    public int? MaxStepAttempts { get; set; }

    /// <summary>The first retry's delay after a failed step; each further failure doubles it up to <see cref="RetryMaxDelay"/>.</summary>
    public TimeSpan RetryInitialDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest wait between retries. Five minutes (controller-runtime's default is about 16): each retry is
    /// a durable step with storage writes, so a cap keeps a long outage cheap, and an object recovers within five
    /// minutes of its dependency coming back even if no change wakes it sooner.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the sweeper looks for overdue timers, unstarted instances and unsent outbox rows.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How late something must be before the sweeper steps in (its normal message gets this long first).</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Blob lease duration for partition ownership (15–60 s); renewed at a third of it.</summary>
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Processed message ids kept per instance for deduplication.</summary>
    public int DedupRetention { get; set; } = 100;

    /// <summary>History rows kept per instance.</summary>
    public int HistoryRetention { get; set; } = 100;

    /// <summary>Events applied in one commit at most.</summary>
    public int MaxEventsPerStep { get; set; } = 16;

    /// <summary>A step running longer than this is cancelled and counts as a failed attempt.</summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Characters of state plus custom status a step may produce (the instance row holds at most 1 MiB).</summary>
    public int MaxStateChars { get; set; } = 200_000;

    /// <summary>Events held per instance while it is suspended or backing off; beyond it the middle ones are dropped.</summary>
    public int MaxPendingEvents { get; set; } = 64;

    /// <summary>Instances whose last committed row this process remembers (saves a read per step).</summary>
    public int InstanceCacheSize { get; set; } = 10_000;

    /// <summary>How workflow state is serialized.</summary>
    public JsonSerializerOptions JsonSerializerOptions { get; set; } = new(JsonSerializerDefaults.Web);

    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Counts storage calls when set (benchmarks, diagnostics).</summary>
    public StorageOperationCounter? OperationCounter { get; set; }

    /// <summary>Called after every committed step (metrics, benchmarks).</summary>
    public Action<StepMetrics>? OnStepCommitted { get; set; }

    /// <summary>Called with the instance id when a level-triggered signal was left out because one was already queued.</summary>
    public Action<string>? OnSignalCoalesced { get; set; }

    public void Validate()
    {
        if (RetryInitialDelay <= TimeSpan.Zero || RetryMaxDelay < RetryInitialDelay)
            throw new ArgumentException("RetryInitialDelay must be positive and RetryMaxDelay at least as long.");
        if (!HubNamePattern().IsMatch(HubName))
            throw new ArgumentException($"Hub name '{HubName}' must be 3-40 lowercase letters and digits, starting with a letter.");
        if (PartitionCount is < 1 or > 100) throw new ArgumentException("PartitionCount must be between 1 and 100.");
        if (LeaseDuration < TimeSpan.FromSeconds(15) || LeaseDuration > TimeSpan.FromSeconds(60))
            throw new ArgumentException("LeaseDuration must be between 15 and 60 seconds (blob lease limits).");
        if (ReceiveBatchSize is < 1 or > 32) throw new ArgumentException("ReceiveBatchSize must be between 1 and 32.");
        if (MaxEventsPerStep is < 1 or > 32) throw new ArgumentException("MaxEventsPerStep must be between 1 and 32.");
        if (MaxStepAttempts is < 1 || MaxDequeueCount < 1) throw new ArgumentException("Attempt limits must be positive.");
    }

    [GeneratedRegex("^[a-z][a-z0-9]{2,39}$")]
    private static partial Regex HubNamePattern();
}

/// <summary>One committed step, as metrics see it.</summary>
/// <param name="Latency">From when the oldest event became deliverable (sent, or its timer due) to the commit.</param>
/// <param name="Duration">Load, run and commit of the step.</param>
/// <param name="Workflow">The instance's workflow name.</param>
/// <param name="Failed">The step threw (its events wait for a retry) or the instance is now Failed.</param>
public sealed record StepMetrics(string InstanceId, int Events, TimeSpan? Latency, TimeSpan Duration, string Workflow = "", bool Failed = false);
