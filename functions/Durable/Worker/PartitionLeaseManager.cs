using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable.Storage;

namespace ServerlessCapi.Durable.Worker;

/// <summary>Spreads control-queue partitions over the live workers with blob leases. Only a load balancer: two
/// workers reading one queue (a lease lapsed during a pause) is still correct, because the ETag fences every commit.</summary>
internal sealed class PartitionLeaseManager(StorageBackend backend, ILogger logger)
{
    private const string WorkersPartition = "workers";
    private readonly DurableWorkflowOptions _options = backend.Options;
    private readonly HashSet<int> _owned = [];

    /// <summary>The lease id is derived from the worker id, so a restarted worker with the same id takes its leases
    /// straight back instead of waiting for them to expire.</summary>
    public string LeaseId { get; } = LeaseIdFor(backend.Options.WorkerId);

    public static string LeaseIdFor(string workerId) =>
        new Guid(SHA256.HashData(Encoding.UTF8.GetBytes(workerId)).AsSpan(0, 16)).ToString();

    public IReadOnlyCollection<int> Owned
    {
        get
        {
            lock (_owned) return [.. _owned];
        }
    }

    public TimeSpan RenewInterval => _options.LeaseDuration / 3;

    /// <summary>One round: heartbeat, count live workers, renew, then release or acquire towards a fair share.</summary>
    public async Task BalanceAsync(CancellationToken ct)
    {
        var now = _options.TimeProvider.GetUtcNow();
        await backend.Workers.UpsertEntityAsync(
            new TableEntity(WorkersPartition, _options.WorkerId) { ["LastSeen"] = now }, TableUpdateMode.Replace, ct);
        var live = 0;
        await foreach (var w in backend.Workers.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {WorkersPartition}"), cancellationToken: ct))
        {
            if (w.GetDateTimeOffset("LastSeen") is { } seen && seen > now - (_options.LeaseDuration * 2)) live++;
        }
        var target = (int)Math.Ceiling(_options.PartitionCount / (double)Math.Max(1, live));

        foreach (var p in Owned)
        {
            try
            {
                await Lease(p).RenewAsync(cancellationToken: ct);
            }
            catch (RequestFailedException ex)
            {
                logger.LogInformation("Worker {WorkerId} lost partition {Partition} ({Status})", _options.WorkerId, p, ex.Status);
                lock (_owned) _owned.Remove(p);
            }
        }

        foreach (var p in Owned.OrderByDescending(p => p).Take(Math.Max(0, Owned.Count - target)))
            await ReleaseAsync(p, ct);

        var start = (int)((uint)_options.WorkerId.GetHashCode(StringComparison.Ordinal) % (uint)_options.PartitionCount);
        for (var i = 0; i < _options.PartitionCount && Owned.Count < target; i++)
        {
            var p = (start + i) % _options.PartitionCount;
            if (Owned.Contains(p)) continue;
            try
            {
                await Lease(p).AcquireAsync(_options.LeaseDuration, cancellationToken: ct);
                lock (_owned) _owned.Add(p);
                logger.LogInformation("Worker {WorkerId} owns partition {Partition}", _options.WorkerId, p);
            }
            catch (RequestFailedException ex) when (ex.Status == 409)
            {
                // Someone else holds it.
            }
        }
    }

    /// <summary>Gives every lease back (on shutdown), so others take over without waiting for expiry.</summary>
    public async Task ReleaseAllAsync(CancellationToken ct)
    {
        foreach (var p in Owned) await ReleaseAsync(p, ct);
        try
        {
            await backend.Workers.DeleteEntityAsync(WorkersPartition, _options.WorkerId, ETag.All, ct);
        }
        catch (RequestFailedException)
        {
            // It ages out anyway.
        }
    }

    private async Task ReleaseAsync(int p, CancellationToken ct)
    {
        lock (_owned) _owned.Remove(p);
        try
        {
            await Lease(p).ReleaseAsync(cancellationToken: ct);
        }
        catch (RequestFailedException)
        {
            // Already lost or expired.
        }
    }

    private BlobLeaseClient Lease(int partition) =>
        backend.Leases.GetBlobClient(StorageNames.PartitionLeaseBlob(partition)).GetBlobLeaseClient(LeaseId);
}
