using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable.Storage;

/// <summary>Instances in one Azure table: partition = escaped instance id; rows = the instance, its dedup blocks,
/// outbox blocks and history. Every commit is one entity-group transaction guarded by the instance row's ETag.</summary>
internal sealed class TableInstanceStore(TableClient table, Func<CancellationToken, Task> ready, InstanceCache cache, ILogger logger)
    : IInstanceStore
{
    public async Task<InstanceSnapshot?> LoadAsync(string instanceId, bool allowCached, CancellationToken ct)
    {
        if (allowCached && cache.TryGet(instanceId) is { } cached) return cached;
        await ready(ct);
        var pk = InstanceKeys.PartitionKey(instanceId);
        // A point read by both keys: one row, whatever the table's size (a filtered query is a scan on some
        // backends, the emulator among them).
        var response = await table.GetEntityIfExistsAsync<TableEntity>(pk, InstanceKeys.InstanceRow, cancellationToken: ct);
        if (!response.HasValue || response.Value is not { } row)
        {
            cache.Remove(instanceId);
            return null;
        }
        var dedup = EntityCodec.DedupOf(row);
        if (dedup is null)
        {
            // A row from before the dedup memory moved into it: read its dedup rows once; the next commit moves them.
            var legacy = new List<DedupBlock>();
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {InstanceKeys.DedupPrefix} and RowKey lt {InstanceKeys.DedupEnd}");
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) legacy.Add(EntityCodec.ToDedup(e));
            dedup = legacy;
        }
        var snapshot = new InstanceSnapshot { Record = EntityCodec.ToRecord(row), ETag = row.ETag.ToString(), Dedup = dedup };
        cache.Set(instanceId, snapshot);
        return snapshot;
    }

    public async Task<CommitResult> CommitAsync(InstanceCommit commit, CancellationToken ct)
    {
        await ready(ct);
        var rec = commit.Record;
        var pk = InstanceKeys.PartitionKey(rec.InstanceId);
        var actions = new List<TableTransactionAction>
        {
            commit.ExpectedETag is null
                ? new TableTransactionAction(TableTransactionActionType.Add, EntityCodec.ToEntity(rec, commit.DedupAfter))
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, EntityCodec.ToEntity(rec, commit.DedupAfter), new ETag(commit.ExpectedETag)),
        };
        // The dedup memory travels in the instance row (DedupAfter); rows of the older layout are left to the purge.
        if (commit.Outbox is { } o) actions.Add(new(TableTransactionActionType.Add, EntityCodec.ToEntity(pk, o)));
        foreach (var h in commit.History) actions.Add(new(TableTransactionActionType.Add, EntityCodec.ToEntity(pk, h)));
        foreach (var s in commit.RemoveHistory) actions.Add(new(TableTransactionActionType.Delete, new TableEntity(pk, InstanceKeys.HistoryRow(s)), ETag.All));

        try
        {
            var response = await table.SubmitTransactionAsync(actions, ct);
            var etag = response.Value.Count > 0 ? response.Value[0].Headers.ETag : null;
            if (etag is { } tag)
                cache.Set(rec.InstanceId, new InstanceSnapshot { Record = rec, ETag = tag.ToString(), Dedup = commit.DedupAfter });
            else
                cache.Remove(rec.InstanceId);
            return CommitResult.Committed;
        }
        catch (TableTransactionFailedException ex) when (ex.Status is 404 or 409 or 412)
        {
            // 412: the row changed since we read it; 409: it already exists (a create) or a row we add exists;
            // 404: it was purged. In every case someone else moved first.
            cache.Remove(rec.InstanceId);
            if (ex.FailedTransactionActionIndex is > 0)
                logger.LogWarning("Commit of {InstanceId} failed on row {Index} with {Status}: bookkeeping and table disagree",
                    rec.InstanceId, ex.FailedTransactionActionIndex, ex.Status);
            return CommitResult.Conflict;
        }
        catch
        {
            // The outcome is unknown (a timeout may hide a success): never trust the cache after that.
            cache.Remove(rec.InstanceId);
            throw;
        }
    }

    public async Task DeleteOutboxAsync(string instanceId, long version, CancellationToken ct)
    {
        try
        {
            await table.DeleteEntityAsync(InstanceKeys.PartitionKey(instanceId), InstanceKeys.OutboxRow(version), ETag.All, ct);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already deleted (by the sweeper, or a purge).
        }
    }

    public async Task<IReadOnlyList<HistoryEntry>> GetHistoryAsync(string instanceId, CancellationToken ct)
    {
        await ready(ct);
        var pk = InstanceKeys.PartitionKey(instanceId);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {pk} and RowKey ge {InstanceKeys.HistoryPrefix} and RowKey lt {InstanceKeys.HistoryEnd}");
        var list = new List<HistoryEntry>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) list.Add(EntityCodec.ToHistory(e));
        return list;
    }

    public async Task<InstanceRecord?> GetAsync(string instanceId, CancellationToken ct)
    {
        await ready(ct);
        var response = await table.GetEntityIfExistsAsync<TableEntity>(InstanceKeys.PartitionKey(instanceId), InstanceKeys.InstanceRow, cancellationToken: ct);
        return response.HasValue ? EntityCodec.ToRecord(response.Value!) : null;
    }

    public async Task<(IReadOnlyList<InstanceRecord> Instances, string? ContinuationToken)> ListAsync(InstanceQuery query, CancellationToken ct)
    {
        await ready(ct);
        var filter = TableClient.CreateQueryFilter($"RowKey eq {InstanceKeys.InstanceRow}");
        if (!string.IsNullOrEmpty(query.InstanceIdPrefix))
        {
            var from = InstanceKeys.PartitionKey(query.InstanceIdPrefix);
            filter += " and " + TableClient.CreateQueryFilter($"PartitionKey ge {from} and PartitionKey lt {InstanceKeys.PrefixEnd(from)}");
        }
        if (query.Statuses is { Count: > 0 } statuses)
            filter += " and (" + string.Join(" or ", statuses.Select(s => TableClient.CreateQueryFilter($"RuntimeStatus eq {s.ToString()}"))) + ")";
        if (query.CreatedFrom is { } cf) filter += " and " + TableClient.CreateQueryFilter($"CreatedAt ge {cf}");
        if (query.CreatedTo is { } ctTo) filter += " and " + TableClient.CreateQueryFilter($"CreatedAt le {ctTo}");

        var pageSize = Math.Clamp(query.PageSize, 1, 1000);
        await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, cancellationToken: ct).AsPages(query.ContinuationToken, pageSize))
            return ([.. page.Values.Select(EntityCodec.ToRecord)], page.ContinuationToken);
        return ([], null);
    }

    public async Task<bool> PurgeAsync(string instanceId, CancellationToken ct)
    {
        await ready(ct);
        var pk = InstanceKeys.PartitionKey(instanceId);
        var existed = false;
        for (var attempt = 0; attempt < 10; attempt++)
        {
            var rows = new List<TableEntity>();
            await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {pk}"), select: ["PartitionKey", "RowKey"], cancellationToken: ct))
                rows.Add(e);
            var instance = rows.FirstOrDefault(r => r.RowKey == InstanceKeys.InstanceRow);
            if (instance is null && rows.Count == 0)
            {
                cache.Remove(instanceId);
                return existed;
            }
            existed |= instance is not null;
            try
            {
                // Everything else first, the instance row last and only if unchanged: a step committing meanwhile
                // (which would add rows) makes us go round again instead of leaving orphans.
                foreach (var chunk in rows.Where(r => r.RowKey != InstanceKeys.InstanceRow).Chunk(100))
                    await table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Delete, r, ETag.All)), ct);
                if (instance is not null)
                    await table.DeleteEntityAsync(pk, InstanceKeys.InstanceRow, instance.ETag, ct);
            }
            catch (RequestFailedException ex) when (ex.Status is 404 or 412)
            {
                continue;
            }
            cache.Remove(instanceId);
        }
        return existed;
    }

    public async Task<IReadOnlyList<InstanceRecord>> FindOverdueAsync(DateTimeOffset before, CancellationToken ct)
    {
        await ready(ct);
        var filter = TableClient.CreateQueryFilter(
            $"RowKey eq {InstanceKeys.InstanceRow} and (RuntimeStatus eq {nameof(RuntimeStatus.Pending)} or (RuntimeStatus eq {nameof(RuntimeStatus.Running)} and NextTimerAt le {before}))");
        var list = new List<InstanceRecord>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            var r = EntityCodec.ToRecord(e);
            if (InstanceQueries.IsOverdue(r, before)) list.Add(r);
        }
        return list;
    }

    public async Task<IReadOnlyList<OutboxBlock>> FindStaleOutboxAsync(DateTimeOffset before, CancellationToken ct)
    {
        await ready(ct);
        var filter = TableClient.CreateQueryFilter(
            $"RowKey ge {InstanceKeys.OutboxPrefix} and RowKey lt {InstanceKeys.OutboxEnd} and At le {before}");
        var list = new List<OutboxBlock>();
        await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: ct)) list.Add(EntityCodec.ToOutbox(e));
        return list;
    }
}
