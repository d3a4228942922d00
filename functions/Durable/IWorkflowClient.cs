namespace ServerlessCapi.Durable;

/// <summary>Runtime status of an instance (the names Durable Functions uses).</summary>
public enum RuntimeStatus
{
    Pending,
    Running,
    Completed,
    Failed,
    Terminated,
    Suspended,
}

/// <summary>Starts and signals workflow instances and reads their status.</summary>
public interface IWorkflowClient
{
    /// <summary>Starts an instance; returns false when it already exists (singleton by id).</summary>
    Task<bool> StartAsync(string workflowName, string instanceId, string? input = null, CancellationToken ct = default);

    /// <summary>Delivers a named event. With <paramref name="startWorkflow"/> set, a missing instance is
    /// started first (if the workflow allows it); otherwise the event is dropped.
    /// <paramref name="messageId"/> makes redelivery of the same event a no-op.</summary>
    Task RaiseEventAsync(string instanceId, string eventName, string? payload = null, string? messageId = null,
        string? startWorkflow = null, CancellationToken ct = default);

    /// <summary>Delivers several events at once, as <see cref="RaiseEventAsync"/> does each; the engine may bundle
    /// those bound for one partition into one queue message.</summary>
    async Task RaiseEventsAsync(IReadOnlyList<EventRequest> events, CancellationToken ct = default)
    {
        foreach (var e in events) await RaiseEventAsync(e.InstanceId, e.EventName, e.Payload, e.MessageId, e.StartWorkflow, ct);
    }

    Task<bool> TerminateAsync(string instanceId, string reason, CancellationToken ct = default);
    Task<bool> SuspendAsync(string instanceId, string reason, CancellationToken ct = default);
    Task<bool> ResumeAsync(string instanceId, string reason, CancellationToken ct = default);
    Task<bool> PurgeAsync(string instanceId, CancellationToken ct = default);
    Task<InstanceStatus?> GetStatusAsync(string instanceId, bool showHistory = false, CancellationToken ct = default);
    Task<InstancePage> ListAsync(InstanceQuery query, CancellationToken ct = default);
}

/// <summary>One event for <see cref="IWorkflowClient.RaiseEventsAsync"/>.</summary>
/// <param name="Coalesce">The event only says "look again" (the workflow is level-triggered): while another such event
/// for the instance is queued and its step has not begun, the engine may leave this one out, as a controller's work
/// queue keeps a key queued once.</param>
public sealed record EventRequest(
    string InstanceId, string EventName, string? Payload = null, string? MessageId = null, string? StartWorkflow = null, bool Coalesce = false);

/// <summary>An instance as the management API shows it.</summary>
public sealed record InstanceStatus(
    string InstanceId,
    string WorkflowName,
    RuntimeStatus RuntimeStatus,
    string? CustomStatus,
    string? Input,
    string? State,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastUpdatedAt,
    DateTimeOffset? NextTimerAt,
    int FailedAttempts,
    string? LastError,
    IReadOnlyList<HistoryEntry>? History);

/// <summary>One transition in an instance's timeline.</summary>
public sealed record HistoryEntry(DateTimeOffset Time, string Event, string? FromStatus, string? ToStatus, string? Note);

public sealed record InstanceQuery(
    IReadOnlyCollection<RuntimeStatus>? Statuses = null,
    string? InstanceIdPrefix = null,
    DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null,
    int PageSize = 100,
    string? ContinuationToken = null);

public sealed record InstancePage(IReadOnlyList<InstanceStatus> Instances, string? ContinuationToken);
