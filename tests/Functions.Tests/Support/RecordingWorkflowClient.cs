using System.Collections.Concurrent;
using ServerlessCapi.Durable;

namespace ServerlessCapi.Functions.Tests.Support;

public sealed record RaisedEvent(string InstanceId, string EventName, string? Payload, string? MessageId, string? StartWorkflow);

/// <summary>Records the signals the dispatcher sends (the engine's behaviour is tested with the engine).</summary>
public sealed class RecordingWorkflowClient : IWorkflowClient
{
    public ConcurrentQueue<RaisedEvent> Raised { get; } = new();

    public Task RaiseEventAsync(string instanceId, string eventName, string? payload = null, string? messageId = null,
        string? startWorkflow = null, CancellationToken ct = default)
    {
        Raised.Enqueue(new RaisedEvent(instanceId, eventName, payload, messageId, startWorkflow));
        return Task.CompletedTask;
    }

    private int _batches;

    /// <summary>Calls of <see cref="RaiseEventsAsync"/> completed: all of a call's events are in <see cref="Raised"/>.</summary>
    public int Batches => Volatile.Read(ref _batches);

    public Task RaiseEventsAsync(IReadOnlyList<EventRequest> events, CancellationToken ct = default)
    {
        foreach (var e in events) Raised.Enqueue(new RaisedEvent(e.InstanceId, e.EventName, e.Payload, e.MessageId, e.StartWorkflow));
        Interlocked.Increment(ref _batches);
        return Task.CompletedTask;
    }

    public Task<bool> StartAsync(string workflowName, string instanceId, string? input = null, CancellationToken ct = default) =>
        throw new NotSupportedException();
    public Task<bool> TerminateAsync(string instanceId, string reason, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<bool> SuspendAsync(string instanceId, string reason, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<bool> ResumeAsync(string instanceId, string reason, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<bool> PurgeAsync(string instanceId, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<InstanceStatus?> GetStatusAsync(string instanceId, bool showHistory = false, CancellationToken ct = default) =>
        throw new NotSupportedException();
    public Task<InstancePage> ListAsync(InstanceQuery query, CancellationToken ct = default) => throw new NotSupportedException();
}
