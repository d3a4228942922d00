using System.Text.Json;
using DurableTask.AzureStorage;
using DurableTask.AzureStorage.Tracking;
using DurableTask.Core;
using DurableTask.Core.Entities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.Workflows.Management;

/// <summary>Removes what deleted objects leave in the task hub once it has been idle for the retention period:
/// object entities whose state is gone (deleted, or never set by a change: a stale scheduled wake can recreate an
/// empty one) with no lock and no queued work, and orchestrations that finished (completed, failed, terminated or
/// canceled). The status row and the history go; live objects and running procedures are never touched.</summary>
/// <remarks>The host's timer calls <see cref="PurgeAsync"/>; running it on several workers at once is harmless
/// (purging an instance twice deletes nothing the second time).</remarks>
public sealed class RetentionPurge(AzureStorageOrchestrationService service, TimeSpan retention, ILogger<RetentionPurge>? logger = null)
{
    /// <summary>The setting that holds the retention (a time span, e.g. <c>7.00:00:00</c>).</summary>
    public const string RetentionSetting = "Durable:PurgeRetention";

    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(7);

    private const int PageSize = 100;

    private static readonly OrchestrationStatus[] Finished =
        [OrchestrationStatus.Completed, OrchestrationStatus.Failed, OrchestrationStatus.Terminated, OrchestrationStatus.Canceled];

    private readonly ILogger logger = logger ?? NullLogger<RetentionPurge>.Instance;

    public RetentionPurge(DurableHost host, TimeSpan retention, ILogger<RetentionPurge>? logger = null)
        : this(host.Service, retention, logger)
    {
    }

    public TimeSpan Retention { get; } = retention > TimeSpan.Zero
        ? retention
        : throw new ArgumentOutOfRangeException(nameof(retention), retention, "The retention must be positive.");

    /// <summary>The retention from <see cref="RetentionSetting"/>, or <see cref="DefaultRetention"/> when unset.</summary>
    public static TimeSpan RetentionFrom(IConfiguration configuration) =>
        configuration.GetValue<TimeSpan?>(RetentionSetting) ?? DefaultRetention;

    /// <summary>Purges every instance that qualifies and was last updated before <paramref name="now"/> minus the
    /// retention; returns how many instances were removed.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = (now - Retention).UtcDateTime;
        var entities = await PurgeWhereAsync(new OrchestrationInstanceStatusQueryCondition
        {
            InstanceIdPrefix = $"@{ObjectReconcileEntity.Name}@",
        }, s => s.LastUpdatedTime < cutoff ? IsGoneObjectAsync(s) : Task.FromResult(false), ct);
        var orchestrations = await PurgeWhereAsync(new OrchestrationInstanceStatusQueryCondition
        {
            RuntimeStatus = Finished,
            ExcludeEntities = true,
        }, s => Task.FromResult(s.LastUpdatedTime < cutoff), ct);
        if (entities + orchestrations > 0)
            logger.LogInformation("Purged {Entities} entities of deleted objects and {Orchestrations} finished orchestrations idle for more than {Retention}",
                entities, orchestrations, Retention);
        return entities + orchestrations;
    }

    private async Task<int> PurgeWhereAsync(OrchestrationInstanceStatusQueryCondition condition, Func<OrchestrationState, Task<bool>> qualifies,
        CancellationToken ct)
    {
        // Rows only (no inputs or outputs); table continuations are key positions, so purging the rows of a page
        // already read does not disturb the next one.
        condition.FetchInput = false;
        condition.FetchOutput = false;
        var purged = 0;
        string? token = null;
        do
        {
            var page = await service.GetOrchestrationStateAsync(condition, PageSize, token, ct);
            foreach (var state in page.OrchestrationState)
            {
                ct.ThrowIfCancellationRequested();
                if (await qualifies(state)) purged += (await service.PurgeInstanceHistoryAsync(state.OrchestrationInstance.InstanceId)).InstancesDeleted;
            }
            token = string.IsNullOrEmpty(page.ContinuationToken) ? null : page.ContinuationToken;
        }
        while (token is not null);
        return purged;
    }

    /// <summary>An object entity is gone when nothing holds or awaits it and its state is deleted or carries no
    /// object (a change sets the object key; only a stale wake creates state without one). The state is read only
    /// for entities that still have one.</summary>
    private async Task<bool> IsGoneObjectAsync(OrchestrationState row)
    {
        var status = ClientEntityHelpers.GetEntityStatus(row.Status);
        if (status is null || status.LockedBy is not null || status.BacklogQueueSize > 0) return false;
        if (!status.EntityExists) return true;
        var full = (await service.GetOrchestrationStateAsync(row.OrchestrationInstance.InstanceId, allExecutions: false, fetchInput: true))
            .FirstOrDefault();
        // It says it has a state: purge only on reading one positively without an object; anything unreadable is
        // left for a person to look at.
        try
        {
            return full?.Input is { } scheduler
                && ClientEntityHelpers.GetEntityState(scheduler) is { } serialized
                && JsonSerializer.Deserialize<ReconcileState>(serialized) is { Key: null };
        }
#pragma warning disable CA1031 // The scheduler state is parsed by DTFx's serializer, whose exception types are its own.
        catch (Exception)
#pragma warning restore CA1031
        {
            return false;
        }
    }
}
