namespace ServerlessCapi.Durable.Engine;

/// <summary>The instance row as the engine reasons about it (backend-neutral, mutable while planning a commit).</summary>
internal sealed class InstanceRecord
{
    public required string InstanceId { get; init; }
    public required string WorkflowName { get; init; }
    public RuntimeStatus Status { get; set; } = RuntimeStatus.Pending;

    /// <summary>The status to return to on resume.</summary>
    public RuntimeStatus? SuspendedFrom { get; set; }

    public string? State { get; set; }
    public string? Input { get; set; }
    public string? CustomStatus { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The durable timer's deadline; null when the instance waits for signals only.</summary>
    public DateTimeOffset? NextTimerAt { get; set; }

    /// <summary>Bumped whenever a new deadline is armed, so an older timer message is recognisably stale.</summary>
    public long TimerGeneration { get; set; }

    /// <summary>The deadline and generation of the newest timer message sent: while it is still to come and no later than a
    /// new deadline of the same generation, that message serves the new deadline too (on arrival it is re-sent for the
    /// rest), so a workflow that keeps pushing its deadline out does not leave a stale message behind every step.</summary>
    public DateTimeOffset? ArmedTimerAt { get; set; }

    public long ArmedGeneration { get; set; }

    /// <summary>True while the timer is a retry backoff rather than a wait the workflow asked for.</summary>
    public bool TimerIsRetry { get; set; }

    public int FailedAttempts { get; set; }
    public string? LastError { get; set; }

    /// <summary>Incremented by every commit; outbox message ids derive from it.</summary>
    public long Version { get; set; }

    /// <summary>The oldest retained history row and the next row's sequence number.</summary>
    public long HistoryFirst { get; set; }
    public long HistoryNext { get; set; }

    /// <summary>Events consumed from the queue but not yet run: retried after a failed step, or held while suspended.</summary>
    public List<WorkflowEvent> PendingEvents { get; set; } = [];

    public bool IsTerminal => Status is RuntimeStatus.Completed or RuntimeStatus.Failed or RuntimeStatus.Terminated;

    public InstanceRecord Clone()
    {
        var copy = (InstanceRecord)MemberwiseClone();
        copy.PendingEvents = [.. PendingEvents];
        return copy;
    }

    public InstanceStatus ToStatus(IReadOnlyList<HistoryEntry>? history) => new(
        InstanceId, WorkflowName, Status, CustomStatus, Input, State, CreatedAt, UpdatedAt,
        NextTimerAt, FailedAttempts, LastError, history);
}
