using Azure;
using Azure.Data.Tables;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>The cloud's records in one Azure Table; every write is ETag-fenced, so a restarted or
/// concurrent cloud never loses or clobbers a change.</summary>
public sealed class CloudStore
{
    private const int MaxAttempts = 10;
    private readonly TableClient _table;

    public CloudStore(string connectionString, string tableName)
    {
        _table = new TableServiceClient(connectionString).GetTableClient(tableName);
    }

    public string TableName => _table.Name;

    public Task InitializeAsync(CancellationToken ct) => _table.CreateIfNotExistsAsync(ct);

    public async Task<VmRecord?> GetVmAsync(string id, CancellationToken ct)
    {
        var r = await _table.GetEntityIfExistsAsync<VmRecord>(VmRecord.Partition, id, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }

    /// <summary>Adds the record, or returns the existing one: (record, created).</summary>
    public async Task<(VmRecord Record, bool Created)> AddOrGetVmAsync(VmRecord record, CancellationToken ct)
    {
        try
        {
            var response = await _table.AddEntityAsync(record, ct);
            record.ETag = response.Headers.ETag ?? default;
            return (record, true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            var existing = await GetVmAsync(record.RowKey, ct)
                           ?? throw new InvalidOperationException($"VM {record.RowKey} exists but cannot be read.");
            return (existing, false);
        }
    }

    /// <summary>Reads, changes and writes back with the read ETag, retrying on a lost race. Null when the VM is gone.
    /// <paramref name="change"/> returns false when nothing needs writing.</summary>
    public async Task<VmRecord?> UpdateVmAsync(string id, Func<VmRecord, bool> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var record = await GetVmAsync(id, ct);
            if (record is null) return null;
            if (!change(record)) return record;
            try
            {
                var response = await _table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace, ct);
                record.ETag = response.Headers.ETag ?? default;
                return record;
            }
            catch (RequestFailedException e) when (e.Status is 412 or 404)
            {
                // Someone else changed (or removed) it: look again.
            }
        }
        throw new InvalidOperationException($"VM {id} kept changing; gave up after {MaxAttempts} attempts.");
    }

    /// <summary>Deletes the row if it still has the ETag we read; false when it changed meanwhile.</summary>
    public async Task<bool> DeleteVmAsync(VmRecord record, CancellationToken ct)
    {
        try
        {
            await _table.DeleteEntityAsync(record.PartitionKey, record.RowKey, record.ETag, ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 412)
        {
            return false;
        }
    }

    /// <summary>VMs whose Node may not match what the record asks for (a restarted cloud resumes them).</summary>
    public async Task<IReadOnlyList<VmRecord>> ListUnsettledVmsAsync(CancellationToken ct)
    {
        var list = new List<VmRecord>();
        var filter = $"PartitionKey eq '{VmRecord.Partition}' and (NodeInSync eq false or Deleting eq true)";
        await foreach (var r in _table.QueryAsync<VmRecord>(filter, cancellationToken: ct))
            list.Add(r);
        return list;
    }

    public async Task<IReadOnlyList<VmRecord>> ListVmsOfClusterAsync(string ns, string name, CancellationToken ct)
    {
        var list = new List<VmRecord>();
        await foreach (var r in _table.QueryAsync<VmRecord>(
                           v => v.PartitionKey == VmRecord.Partition && v.ClusterNamespace == ns && v.ClusterName == name,
                           cancellationToken: ct))
            list.Add(r);
        return list;
    }

    public async Task<(ClusterRecord Record, bool Created)> AddOrGetClusterAsync(ClusterRecord record, CancellationToken ct)
    {
        try
        {
            await _table.AddEntityAsync(record, ct);
            return (record, true);
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return (await GetClusterAsync(record.RowKey, ct) ?? record, false);
        }
    }

    public async Task<ClusterRecord?> GetClusterAsync(string key, CancellationToken ct)
    {
        var r = await _table.GetEntityIfExistsAsync<ClusterRecord>(ClusterRecord.Partition, key, cancellationToken: ct);
        return r.HasValue ? r.Value : null;
    }

    public async Task DeleteClusterAsync(string key, CancellationToken ct)
    {
        try
        {
            await _table.DeleteEntityAsync(ClusterRecord.Partition, key, ETag.All, ct);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Already gone: deleting is idempotent.
        }
    }
}
