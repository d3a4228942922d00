using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;
using DurableTask.Core.Entities;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.Workflows.Management;

/// <summary>What the management API reads and does on the task hub. Signals, events, termination and single purges
/// go through <see cref="ObjectWorkflowClient"/>; this adds what an operator's view needs beyond the app's own use:
/// instance rows with their input, output and custom status, the raw history, purge by filter and any entity's state.</summary>
public sealed class TaskHubManagementClient(AzureStorageOrchestrationService service, ObjectWorkflowClient objects)
{
    public TaskHubManagementClient(DurableHost host)
        : this(host.Service, host.Client)
    {
    }

    public ObjectWorkflowClient Objects => objects;

    private EntityBackendQueries Entities =>
        ((IEntityOrchestrationService)service).EntityBackendQueries
        ?? throw new InvalidOperationException("The orchestration service does not support entities.");

    /// <summary>One page of instance rows (orchestrations and entities alike). Filtered queries can return short or
    /// even empty pages with a continuation: storage filters rows after reading them.</summary>
    public async Task<ManagedInstancePage> QueryAsync(InstanceFilter filter, bool fetchInput, int pageSize, string? continuation,
        CancellationToken ct = default)
    {
        var condition = new OrchestrationInstanceStatusQueryCondition
        {
            RuntimeStatus = filter.Statuses,
            CreatedTimeFrom = filter.CreatedFrom?.UtcDateTime ?? default,
            CreatedTimeTo = filter.CreatedTo?.UtcDateTime ?? default,
            InstanceIdPrefix = filter.IdPrefix,
            FetchInput = fetchInput,
            FetchOutput = true,
        };
        var result = await service.GetOrchestrationStateAsync(condition, pageSize, continuation, ct);
        return new ManagedInstancePage([.. result.OrchestrationState],
            string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
    }

    /// <summary>The instance's status row (current execution), or null when the hub has no such instance.</summary>
    public async Task<OrchestrationState?> GetAsync(string instanceId, bool fetchInput)
    {
        var states = await service.GetOrchestrationStateAsync(instanceId, allExecutions: false, fetchInput: fetchInput);
        return states.FirstOrDefault(s => s?.OrchestrationInstance is not null);
    }

    /// <summary>The current execution's history as the storage provider serializes it (a JSON array of events).</summary>
    public Task<string> GetHistoryJsonAsync(OrchestrationState state) =>
        service.GetOrchestrationHistoryAsync(state.OrchestrationInstance.InstanceId, state.OrchestrationInstance.ExecutionId);

    /// <summary>Raises an event whose payload is already JSON (null for none).</summary>
    public Task RaiseEventAsync(string instanceId, string eventName, JsonElement? payload) =>
        objects.RaiseEventAsync(instanceId, eventName, payload);

    public Task TerminateAsync(string instanceId, string? reason) => objects.TerminateAsync(instanceId, reason ?? string.Empty);

    /// <summary>Deletes one instance's status row and history; returns how many instances were removed (0 or 1).</summary>
    public Task<int> PurgeAsync(string instanceId) => objects.PurgeAsync(instanceId);

    /// <summary>Deletes every instance created in the window (and in one of <paramref name="statuses"/>, when given).</summary>
    public async Task<int> PurgeAsync(DateTime createdFrom, DateTime? createdTo, IReadOnlyList<OrchestrationStatus>? statuses) =>
        (await service.PurgeInstanceHistoryAsync(createdFrom, createdTo, statuses)).InstancesDeleted;

    /// <summary>An entity's serialized state, or null when the entity does not exist (never signalled, state deleted,
    /// or purged).</summary>
    public async Task<string?> GetEntityStateAsync(string name, string key, CancellationToken ct = default)
    {
        var meta = await Entities.GetEntityAsync(new EntityId(name, key), includeState: true, cancellation: ct);
        return meta?.SerializedState;
    }

    /// <summary>One page of existing entities, of one name or (null) all; with their states when asked.</summary>
    public async Task<ManagedEntityPage> QueryEntitiesAsync(string? name, bool includeState, DateTime? lastModifiedFrom, DateTime? lastModifiedTo,
        int pageSize, string? continuation, CancellationToken ct = default)
    {
        var result = await Entities.QueryEntitiesAsync(new EntityBackendQueries.EntityQuery
        {
            InstanceIdStartsWith = name is null ? "@" : $"@{name.ToLowerInvariant()}@",
            IncludeState = includeState,
            LastModifiedFrom = lastModifiedFrom,
            LastModifiedTo = lastModifiedTo,
            PageSize = pageSize,
            ContinuationToken = continuation,
        }, ct);
        return new ManagedEntityPage([.. result.Results], string.IsNullOrEmpty(result.ContinuationToken) ? null : result.ContinuationToken);
    }

    /// <summary>Signals one operation to an entity; <paramref name="input"/> is serialized as given (a
    /// <see cref="JsonElement"/> stays the JSON it is, a string becomes a JSON string).</summary>
    public Task SignalEntityAsync(string name, string key, string operation, object? input) =>
        objects.SignalAsync(new EntityId(name, key).ToString(), operation, input);
}

public sealed record ManagedEntityPage(IReadOnlyList<EntityBackendQueries.EntityMetadata> Entities, string? ContinuationToken);

public sealed record ManagedInstancePage(IReadOnlyList<OrchestrationState> Instances, string? ContinuationToken);
