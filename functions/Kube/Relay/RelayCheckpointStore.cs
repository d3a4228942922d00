using Azure;
using Azure.Data.Tables;

namespace ServerlessCapi.Kube.Relay;

/// <summary>What the relay knows about one kind: the resourceVersion it has relayed up to, and each
/// object's last relayed version (so a relist after 410 Gone can tell what changed and what vanished).</summary>
public sealed class KindCheckpoint
{
    public string? ResourceVersion { get; set; }
    public Dictionary<string, KnownObject> Objects { get; } = new(StringComparer.Ordinal);
}

public sealed record KnownObject(string? Namespace, string Name, string? ResourceVersion);

/// <summary>Stores <see cref="KindCheckpoint"/>s in a table: one partition per cluster and kind, a row per
/// object plus one checkpoint row, written in transactions after the events went out (at least once).</summary>
public sealed class RelayCheckpointStore(TableClient table, string clusterName)
{
    private const string CheckpointRow = "!checkpoint";
    private bool _created;

    public async Task<KindCheckpoint> LoadAsync(RelayKind kind, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var checkpoint = new KindCheckpoint();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition(kind)}");
        await foreach (var row in table.QueryAsync<TableEntity>(filter, cancellationToken: ct))
        {
            if (row.RowKey == CheckpointRow)
                checkpoint.ResourceVersion = row.GetString("ResourceVersion");
            else
                checkpoint.Objects[row.RowKey] = new KnownObject(row.GetString("Namespace"), row.GetString("Name") ?? "", row.GetString("ResourceVersion"));
        }
        return checkpoint;
    }

    /// <summary>Records relayed changes and the new resourceVersion; <paramref name="known"/> is updated in memory too.</summary>
    public async Task SaveAsync(RelayKind kind, KindCheckpoint known, IEnumerable<(string Uid, KnownObject? Object)> changes,
        string? resourceVersion, CancellationToken ct)
    {
        await EnsureTableAsync(ct);
        var partition = Partition(kind);
        var actions = new List<TableTransactionAction>();
        // The in-memory checkpoint moves only once the table has the rows: a write cut short (a stopping relay cancels
        // it) leaves both as they were, so the changes put back for a retry are written again, not taken as known.
        var applied = changes.ToList();
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (uid, obj) in applied)
        {
            if (obj is null)
            {
                if (known.Objects.ContainsKey(uid) && deleted.Add(uid))
                    actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, uid), ETag.All));
            }
            else
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, uid)
                {
                    ["Namespace"] = obj.Namespace,
                    ["Name"] = obj.Name,
                    ["ResourceVersion"] = obj.ResourceVersion,
                }));
            }
        }
        if (resourceVersion is not null)
        {
            actions.Add(new TableTransactionAction(TableTransactionActionType.UpsertReplace,
                new TableEntity(partition, CheckpointRow) { ["ResourceVersion"] = resourceVersion }));
        }
        // A transaction holds at most 100 operations; the checkpoint row goes in the last one.
        foreach (var chunk in actions.Chunk(100))
        {
            try
            {
                await table.SubmitTransactionAsync(chunk, ct);
            }
            catch (TableTransactionFailedException e) when (e.Status == 404)
            {
                // A row we meant to delete is already gone: apply the rest one by one.
                foreach (var action in chunk.Where(a => a.ActionType != TableTransactionActionType.Delete))
                    await table.UpsertEntityAsync((TableEntity)action.Entity, TableUpdateMode.Replace, ct);
            }
        }
        foreach (var (uid, obj) in applied)
        {
            if (obj is null) known.Objects.Remove(uid);
            else known.Objects[uid] = obj;
        }
        if (resourceVersion is not null) known.ResourceVersion = resourceVersion;
    }

    private string Partition(RelayKind kind) => $"{clusterName}|{kind.Plural}.{kind.Group}";

    private async Task EnsureTableAsync(CancellationToken ct)
    {
        if (_created) return;
        await table.CreateIfNotExistsAsync(ct);
        _created = true;
    }
}
