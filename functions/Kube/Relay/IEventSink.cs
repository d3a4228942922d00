using Azure;
using Azure.Messaging;
using Azure.Messaging.EventGrid;
using Azure.Storage.Queues;
using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Kube.Relay;

/// <summary>Where relayed events go.</summary>
public interface IEventSink
{
    Task SendAsync(IReadOnlyList<CloudEvent> events, CancellationToken ct);
}

/// <summary>One queue message per event (structured-mode CloudEvent JSON); the client decides the encoding.</summary>
public sealed class QueueEventSink(QueueClient queue) : IEventSink
{
    private bool _created;

    public async Task SendAsync(IReadOnlyList<CloudEvent> events, CancellationToken ct)
    {
        if (!_created)
        {
            await queue.CreateIfNotExistsAsync(cancellationToken: ct);
            _created = true;
        }
        await Parallel.ForEachAsync(events, new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (e, token) => await queue.SendMessageAsync(ObjectEvents.Serialize(e), token));
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
