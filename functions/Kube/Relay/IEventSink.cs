using Azure;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Storage.Queues;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Telemetry;

namespace ServerlessCapi.Kube.Relay;

/// <summary>Where relayed events go.</summary>
public interface IEventSink
{
    Task SendAsync(IReadOnlyList<CloudEvent> events, CancellationToken ct);
}

/// <summary>Events as CloudEvents JSON batches, up to <see cref="MaxBatch"/> events or <see cref="MaxBatchBytes"/> per queue
/// message (a burst of changes costs a few queue messages, not one each); the client decides the encoding.</summary>
/// <param name="metrics">Counts the messages sent, when given.</param>
public sealed class QueueEventSink(QueueClient queue, ProductMetrics? metrics = null) : IEventSink
{
    public const int MaxBatch = 32;

    /// <summary>Queue messages hold 64 KiB after base64 encoding.</summary>
    public const int MaxBatchBytes = 40 * 1024;

    private bool _created;

    public async Task SendAsync(IReadOnlyList<CloudEvent> events, CancellationToken ct)
    {
        if (!_created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: ct);
            _created = true;
        }
        await Parallel.ForEachAsync(Batches(events), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (batch, token) =>
            {
                await queue.SendMessageAsync(ObjectEvents.JoinBatch(batch), token);
                metrics?.Sent(queue.Name, 1);
            });
    }

    /// <summary>Each event serialized once, grouped into batches of at most <paramref name="maxCount"/> events (and
    /// <see cref="MaxBatch"/>) within the size limit.</summary>
    public static IEnumerable<List<string>> Batches(IReadOnlyList<CloudEvent> events, int maxCount = MaxBatch)
    {
        maxCount = Math.Clamp(maxCount, 1, MaxBatch);
        var batch = new List<string>();
        var bytes = 2;
        foreach (var text in events.Select(ObjectEvents.Serialize))
        {
            var size = System.Text.Encoding.UTF8.GetByteCount(text) + 1;
            if (batch.Count > 0 && (batch.Count == maxCount || bytes + size > MaxBatchBytes))
            {
                yield return batch;
                batch = [];
                bytes = 2;
            }
            batch.Add(text);
            bytes += size;
        }
        if (batch.Count > 0) yield return batch;
    }
}

/// <summary>Publishes to an Event Grid topic (CloudEvents schema), whose subscription can deliver to the queue.</summary>
public sealed class EventGridEventSink(Uri endpoint, string key) : IEventSink
{
    private readonly EventGridPublisherClient _client = new(endpoint, new AzureKeyCredential(key));

    public async Task SendAsync(IReadOnlyList<CloudEvent> events, CancellationToken ct)
    {
        // Event Grid takes at most 1 MB per request; object-key events are small, so 500 fit easily.
        foreach (var chunk in events.Chunk(500))
            await _client.SendEventsAsync(chunk, ct);
    }
}

/// <summary>Sends to every sink.</summary>
public sealed class CompositeEventSink(IReadOnlyList<IEventSink> sinks) : IEventSink
{
    public async Task SendAsync(IReadOnlyList<CloudEvent> events, CancellationToken ct)
    {
        foreach (var sink in sinks) await sink.SendAsync(events, ct);
    }
}
