namespace ServerlessCapi.Durable.Engine;

/// <summary>Where instances live. Every write is one atomic, version-checked commit in the instance's partition.</summary>
internal interface IInstanceStore
{
    /// <summary>Reads the instance row and its retained dedup blocks. A cached copy may be returned when
    /// <paramref name="allowCached"/> is set; a stale one only costs a conflict on commit.</summary>
    Task<InstanceSnapshot?> LoadAsync(string instanceId, bool allowCached, CancellationToken ct);

    /// <summary>Applies a commit atomically; <see cref="CommitResult.Conflict"/> when the instance changed (or
    /// already exists, for a create) since it was read.</summary>
    Task<CommitResult> CommitAsync(InstanceCommit commit, CancellationToken ct);

    /// <summary>Removes an outbox block once its messages are sent. Missing is fine.</summary>
    Task DeleteOutboxAsync(string instanceId, long version, CancellationToken ct);

    Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string instanceId, CancellationToken ct);

    /// <summary>Reads the instance row directly (never cached).</summary>
    Task<InstanceRecord?> GetAsync(string instanceId, CancellationToken ct);

    Task<(IReadOnlyList<InstanceRecord> Instances, string? ContinuationToken)> ListAsync(InstanceQuery query, CancellationToken ct);

    /// <summary>Deletes every row of the instance; false when it did not exist.</summary>
    Task<bool> PurgeAsync(string instanceId, CancellationToken ct);

    /// <summary>Instances that need a nudge: Pending ones not updated since <paramref name="before"/>, and Pending or
    /// Running ones whose timer was due before it.</summary>
    Task<IReadOnlyList<InstanceRecord>> FindOverdueAsync(DateTimeOffset before, CancellationToken ct);

    /// <summary>Outbox blocks written before <paramref name="before"/> (left behind by a process that crashed between
    /// commit and send).</summary>
    Task<IReadOnlyList<OutboxBlock>> FindStaleOutboxAsync(DateTimeOffset before, CancellationToken ct);
}

/// <summary>An instance as read for a step: the row, its concurrency token and its dedup memory.</summary>
internal sealed class InstanceSnapshot
{
    public required InstanceRecord Record { get; init; }
    public required string ETag { get; init; }
    public required IReadOnlyList<DedupBlock> Dedup { get; init; }
    public bool FromCache { get; init; }

    public bool HasProcessed(string messageId)
    {
        foreach (var block in Dedup)
        {
            if (block.Ids.Contains(messageId)) return true;
        }
        return false;
    }
}

/// <summary>The message ids one commit consumed.</summary>
internal sealed record DedupBlock(long Version, DateTimeOffset At, IReadOnlyList<string> Ids);

/// <summary>The messages one commit asked to send, kept until they are sent.</summary>
internal sealed record OutboxBlock(string InstanceId, long Version, DateTimeOffset At, IReadOnlyList<ControlMessage> Messages);

/// <summary>One history row to append.</summary>
internal sealed record HistoryRow(long Sequence, HistoryEntry Entry);

/// <summary>Everything one step (or management operation) changes, written as one transaction.</summary>
internal sealed class InstanceCommit
{
    public required InstanceRecord Record { get; init; }

    /// <summary>The token the row was read with; null creates the row (fails if it exists).</summary>
    public string? ExpectedETag { get; init; }

    public DedupBlock? AddDedup { get; set; }
    public List<long> RemoveDedup { get; } = [];
    public OutboxBlock? Outbox { get; set; }
    public List<HistoryRow> History { get; } = [];
    public List<long> RemoveHistory { get; } = [];

    /// <summary>The dedup blocks the instance keeps after this commit (for the store's cache).</summary>
    public IReadOnlyList<DedupBlock> DedupAfter { get; set; } = [];
}

internal enum CommitResult
{
    Committed,
    Conflict,
}
