using Azure.Core.Pipeline;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Hosting;

/// <summary>Settings of the standalone durable host. Defaults are the measured choices (see the README).</summary>
public sealed class DurableHostOptions
{
    public required string ConnectionString { get; init; }

    /// <summary>Task hub name: letters and digits, 3–45 characters (it prefixes queues, tables and containers).</summary>
    public string TaskHubName { get; init; } = "scapi";

    /// <summary>Control-queue partitions (1–16); fixed for the hub's lifetime, and the ceiling on workers that share
    /// orchestration and entity work.</summary>
    public int PartitionCount { get; init; } = 4;

    /// <summary>How long a dequeued control-queue message stays hidden. A killed worker's messages come back after
    /// this; the 5-minute default is far too long for a control plane.</summary>
    public TimeSpan ControlQueueVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The same for activity work items.</summary>
    public TimeSpan WorkItemQueueVisibilityTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Table-based partition ownership (DTFx's default) instead of blob leases.</summary>
    public bool UseTablePartitionManagement { get; init; } = true;

    /// <summary>How long a partition owner may stay silent before another worker takes its partitions (lease manager:
    /// the lease interval, which blob storage bounds to 15–60 s; table manager: its claim expiry, any length).</summary>
    public TimeSpan PartitionLeaseInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Keep an instance in memory between episodes, so a wake does not re-read its history from the table
    /// (the emulator scans the whole table per query). Holds memory per active instance for the idle timeout.</summary>
    public bool ExtendedSessions { get; init; }

    public TimeSpan ExtendedSessionIdleTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MaxQueuePollingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Entity operation batches (reconciles) this worker runs at once. Reconciles wait on the API server
    /// most of the time, so many run side by side.</summary>
    public int MaxConcurrentReconciles { get; init; } = 64;

    /// <summary>How long a change signal for an object waits for the object's entity to start a reconcile in this
    /// process before another is sent (<see cref="SignalCoalescer"/>); zero sends one signal per change. Only a
    /// process that runs a worker coalesces.</summary>
    public TimeSpan SignalHold { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Change signals in flight to the task hub at once from this process.</summary>
    public int SignalConcurrency { get; init; } = 64;

    public string WorkerId { get; init; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    public RetryBackoff Backoff { get; init; } = RetryBackoff.Default;

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>An extra pipeline policy on every storage client (the benchmark counts requests with it).</summary>
    public HttpPipelinePolicy? StoragePolicy { get; init; }

    /// <summary>Whether this process runs a worker, or only a client.</summary>
    public bool EnableWorker { get; init; } = true;
}
