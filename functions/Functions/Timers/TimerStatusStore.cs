using System.Text.Json;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace ServerlessCapi.Functions.Timers;

/// <summary>The durable record of a timer: the last occurrence that ran, the next one due, and the
/// occurrence being run right now (set before the run, cleared after, so a crash mid-run is caught up).</summary>
public sealed record TimerStatus(DateTimeOffset? Last, DateTimeOffset Next, DateTimeOffset LastUpdated, DateTimeOffset? Running = null);

/// <summary>Reads and writes <see cref="TimerStatus"/> as a blob, fenced by its ETag.</summary>
public sealed class TimerStatusStore(BlobContainerClient container)
{
    public static string StatusBlobName(string function) => $"{function.ToLowerInvariant()}/status.json";
    public static string LockBlobName(string function) => $"{function.ToLowerInvariant()}/lock";

    public async Task<(TimerStatus? Status, ETag? ETag)> ReadAsync(string function, CancellationToken ct)
    {
        try
        {
            var result = await container.GetBlobClient(StatusBlobName(function)).DownloadContentAsync(ct);
            return (result.Value.Content.ToObjectFromJson<TimerStatus>(), result.Value.Details.ETag);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return (null, null);
        }
    }

    /// <summary>Writes the record if it is still at <paramref name="expected"/> (null: if none exists).
    /// Returns the new ETag, or null when someone else changed it first.</summary>
    public async Task<ETag?> TryWriteAsync(string function, TimerStatus status, ETag? expected, CancellationToken ct)
    {
        var conditions = expected is { } etag ? new BlobRequestConditions { IfMatch = etag } : new BlobRequestConditions { IfNoneMatch = ETag.All };
        try
        {
            var result = await container.GetBlobClient(StatusBlobName(function)).UploadAsync(
                BinaryData.FromString(JsonSerializer.Serialize(status)),
                new BlobUploadOptions { Conditions = conditions, HttpHeaders = new BlobHttpHeaders { ContentType = "application/json" } },
                ct);
            return result.Value.ETag;
        }
        catch (RequestFailedException e) when (e.Status is 412 or 409)
        {
            return null;
        }
    }
}
