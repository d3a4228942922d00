using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;
using DurableTask.Core.Entities;
using ServerlessCapi.Telemetry;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Hosting;

/// <summary>What the dispatcher and a management API need from the task hub: signal objects, read their reconcile
/// state, query instances page by page, read an instance's status and history, terminate and purge.</summary>
public sealed class ObjectWorkflowClient(AzureStorageOrchestrationService service) : IObjectSignals
{
    /// <summary>Signals sent at once by <see cref="SignalChangedAsync(IReadOnlyCollection{ObjectKey}, CancellationToken)"/>
    /// (each is one queue message).</summary>
    public const int SignalConcurrency = 16;

    // The SDK's default data converter: plain System.Text.Json, property names as declared.
    private static readonly JsonSerializerOptions Json = new();

    private EntityBackendQueries Entities =>
        ((IEntityOrchestrationService)service).EntityBackendQueries
        ?? throw new InvalidOperationException("The orchestration service does not support entities.");

    /// <summary>Tells the object's entity that the object changed. Entities are created by their first signal, so a
    /// signal is never dropped for an unknown instance, whichever worker owns the partition. Under a span (a dispatch),
    /// the signal gets a <c>signal</c> span whose context the payload carries into the reconcile.</summary>
    public async Task SignalChangedAsync(ObjectKey key)
    {
        using var span = SignalTracing.StartSignal(key);
        try
        {
            await SignalAsync(ObjectReconcileEntity.IdFor(key).ToString(), nameof(ObjectReconcileEntity.Changed), SignalTracing.Payload(key, span));
        }
        catch (Exception e)
        {
            span.Failed(e);
            throw;
        }
    }

    /// <summary>Signals several objects, <see cref="SignalConcurrency"/> at a time.</summary>
    public Task SignalChangedAsync(IReadOnlyCollection<ObjectKey> keys, CancellationToken ct) =>
        keys.Count == 1
            ? SignalChangedAsync(keys.First())
            : Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = SignalConcurrency, CancellationToken = ct },
                async (key, _) => await SignalChangedAsync(key));

    /// <summary>Sends one operation signal (optionally scheduled) to any entity instance id.</summary>
    public Task SignalAsync(string entityInstanceId, string operation, object? input, DateTimeOffset? at = null)
    {
        var scheduled = at is { } t ? (t.UtcDateTime, t.UtcDateTime) : ((DateTime, DateTime)?)null;
        var signal = ClientEntityHelpers.EmitOperationSignal(
            new OrchestrationInstance { InstanceId = entityInstanceId },
            Guid.NewGuid(),
            operation,
            input is null ? null : JsonSerializer.Serialize(input, Json),
            scheduled);
        return service.SendTaskOrchestrationMessageAsync(signal.AsTaskMessage());
    }

    /// <summary>The object's reconcile state, or null before its first signal has been processed.</summary>
    public async Task<ReconcileState?> GetStateAsync(ObjectKey key, CancellationToken ct = default)
    {
        var id = ObjectReconcileEntity.IdFor(key);
        var meta = await Entities.GetEntityAsync(new EntityId(id.Name, id.Key), includeState: true, cancellation: ct);
        return meta?.SerializedState is { } s ? JsonSerializer.Deserialize<ReconcileState>(s, Json) : null;
    }

    /// <summary>One page of object entities, by id prefix (e.g. <c>@objectreconcile@Machine.</c>).</summary>
    public async Task<EntityPage> QueryEntitiesAsync(string? idPrefix, int pageSize, string? continuation, CancellationToken ct = default)
    {
        var result = await Entities.QueryEntitiesAsync(new EntityBackendQueries.EntityQuery
        {
            InstanceIdStartsWith = idPrefix,
            IncludeState = true,
            PageSize = pageSize,
            ContinuationToken = continuation,
        }, ct);
        return new EntityPage(
            [.. result.Results.Select(e => new EntityRow(e.EntityId.ToString(), e.LastModifiedTime, e.LockedBy, e.BacklogQueueSize, e.SerializedState))],
            result.ContinuationToken);
    }

    /// <summary>Starts an orchestration with a deterministic id; a running or pending instance with that id is kept.</summary>
    public Task StartAsync(string name, string instanceId, object? input)
    {
        var message = new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId, ExecutionId = Guid.NewGuid().ToString("N") },
            Event = new global::DurableTask.Core.History.ExecutionStartedEvent(-1, input is null ? null : JsonSerializer.Serialize(input, Json))
            {
                Name = name,
                Version = string.Empty,
                OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            },
        };
        ((global::DurableTask.Core.History.ExecutionStartedEvent)message.Event).OrchestrationInstance = message.OrchestrationInstance;
        return service.CreateTaskOrchestrationAsync(message, [OrchestrationStatus.Running, OrchestrationStatus.Pending]);
    }

    /// <summary>Raises an event to an instance id (no execution id, so it reaches whichever execution is current).</summary>
    public Task RaiseEventAsync(string instanceId, string name, object? payload) =>
        service.SendTaskOrchestrationMessageAsync(new TaskMessage
        {
            OrchestrationInstance = new OrchestrationInstance { InstanceId = instanceId },
            Event = new global::DurableTask.Core.History.EventRaisedEvent(-1, payload is null ? null : JsonSerializer.Serialize(payload, Json)) { Name = name },
        });

    /// <summary>One page of instances (orchestrations and entities alike), filtered by status, creation time and id prefix.</summary>
    public async Task<InstancePage> QueryInstancesAsync(InstanceFilter filter, int pageSize, string? continuation, CancellationToken ct = default)
    {
        var condition = new OrchestrationInstanceStatusQueryCondition
        {
            RuntimeStatus = filter.Statuses,
            CreatedTimeFrom = filter.CreatedFrom?.UtcDateTime ?? default,
            CreatedTimeTo = filter.CreatedTo?.UtcDateTime ?? default,
            InstanceIdPrefix = filter.IdPrefix,
            FetchInput = false,
        };
        var result = await service.GetOrchestrationStateAsync(condition, pageSize, continuation, ct);
        return new InstancePage(
            [.. result.OrchestrationState.Select(s => new InstanceRow(s.OrchestrationInstance.InstanceId, s.Name, s.OrchestrationStatus, s.CreatedTime, s.LastUpdatedTime))],
            string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
    }

    /// <summary>An instance's current status, with the current execution's history when asked (JSON array of events).</summary>
    public async Task<InstanceStatus?> GetStatusAsync(string instanceId, bool withHistory)
    {
        var state = (await service.GetOrchestrationStateAsync(instanceId, allExecutions: false)).FirstOrDefault();
        if (state is null) return null;
        var history = withHistory ? await service.GetOrchestrationHistoryAsync(instanceId, state.OrchestrationInstance.ExecutionId) : null;
        return new InstanceStatus(instanceId, state.Name, state.OrchestrationStatus, state.CreatedTime, state.LastUpdatedTime,
            state.Input, state.Output, state.Status, history);
    }

    public Task TerminateAsync(string instanceId, string reason) => service.ForceTerminateTaskOrchestrationAsync(instanceId, reason);

    /// <summary>Deletes an instance's history and status row; returns how many instances were removed.</summary>
    public async Task<int> PurgeAsync(string instanceId) => (await service.PurgeInstanceHistoryAsync(instanceId)).InstancesDeleted;
}

public sealed record InstanceFilter(IReadOnlyList<OrchestrationStatus>? Statuses = null, DateTimeOffset? CreatedFrom = null,
    DateTimeOffset? CreatedTo = null, string? IdPrefix = null);

public sealed record InstanceRow(string InstanceId, string Name, OrchestrationStatus Status, DateTime CreatedAt, DateTime LastUpdatedAt);

public sealed record InstancePage(IReadOnlyList<InstanceRow> Instances, string? ContinuationToken);

public sealed record InstanceStatus(string InstanceId, string Name, OrchestrationStatus Status, DateTime CreatedAt, DateTime LastUpdatedAt,
    string? Input, string? Output, string? CustomStatus, string? HistoryJson);

public sealed record EntityRow(string InstanceId, DateTime LastModifiedAt, string? LockedBy, int Backlog, string? SerializedState);

public sealed record EntityPage(IReadOnlyList<EntityRow> Entities, string? ContinuationToken);
