using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;

namespace ServerlessCapi.Kube.Relay;

/// <summary>A renewable lease on a blob: whoever holds it is the single active instance of something.</summary>
/// <remarks>A holder that stops renewing (crash, pause) loses it after the lease period, and a standby's next
/// attempt takes over. Leases only elect; state writes stay fenced by ETags.</remarks>
public sealed class BlobLease(BlobContainerClient container, string blobName, TimeSpan duration)
{
    private readonly BlobLeaseClient _lease = container.GetBlobClient(blobName).GetBlobLeaseClient(Guid.NewGuid().ToString());

    private bool _blobExists;

    public TimeSpan Duration { get; } = duration;

    /// <summary>Tries to take the lease; false when another instance holds it.</summary>
    public async Task<bool> TryAcquireAsync(CancellationToken ct)
    {
        await EnsureBlobAsync(ct);
        try
        {
            await _lease.AcquireAsync(Duration, cancellationToken: ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status == 409)
        {
            return false;
        }
    }

    /// <summary>Renews the lease; false when it was lost.</summary>
    public async Task<bool> TryRenewAsync(CancellationToken ct)
    {
        try
        {
            await _lease.RenewAsync(cancellationToken: ct);
            return true;
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412 or 404)
        {
            return false;
        }
    }

    public async Task ReleaseAsync()
    {
        try
        {
            await _lease.ReleaseAsync(cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException)
        {
            // Lost already; it expires on its own.
        }
    }

    private async Task EnsureBlobAsync(CancellationToken ct)
    {
        if (_blobExists) return;
        await container.CreateIfNotExistsAsync(cancellationToken: ct);
        try
        {
            await container.GetBlobClient(blobName).UploadAsync(BinaryData.Empty,
                new BlobUploadOptions { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All } }, ct);
        }
        catch (RequestFailedException e) when (e.Status is 409 or 412)
        {
            // Exists (and may be leased).
        }
        _blobExists = true;
    }
}
