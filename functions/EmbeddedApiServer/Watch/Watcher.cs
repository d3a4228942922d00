using System.Threading.Channels;
using ServerlessCapi.EmbeddedApiServer.Selectors;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Watch;

/// <summary>One open watch: its filter and the queue of deliveries its HTTP stream drains.</summary>
public sealed class Watcher(string? ns, LabelSelector labels, FieldSelector fields, int queueLimit)
{
    private readonly Channel<WatchDelivery> _queue = Channel.CreateUnbounded<WatchDelivery>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });
    private int _pending;

    public ChannelReader<WatchDelivery> Reader => _queue.Reader;

    /// <summary>Set when the watcher fell too far behind and was closed (the client re-watches, as with kube).</summary>
    public bool Overflowed { get; private set; }

    public bool Matches(StoredObject obj) =>
        (ns is null || obj.Namespace == ns) && labels.Matches(obj.Labels) && (fields.IsEmpty || fields.Matches(obj));

    /// <summary>Queues an event if it concerns this watcher, turning selector transitions into ADDED/DELETED.</summary>
    public void Offer(WatchEvent e)
    {
        var now = e.Type != WatchEvent.Deleted && Matches(e.Object);
        var before = e.Type == WatchEvent.Deleted ? Matches(e.Object) : e.Previous is not null && Matches(e.Previous);
        if (e.Type == WatchEvent.Deleted)
        {
            if (before) Send(new WatchDelivery(WatchEvent.Deleted, e.Object, e.ResourceVersion));
            return;
        }
        if (now && before) Send(new WatchDelivery(WatchEvent.Modified, e.Object, e.ResourceVersion));
        else if (now) Send(new WatchDelivery(WatchEvent.Added, e.Object, e.ResourceVersion));
        else if (before) Send(new WatchDelivery(WatchEvent.Deleted, e.PreviousAtThisVersion, e.ResourceVersion));
    }

    public void Send(WatchDelivery d)
    {
        if (Overflowed) return;
        if (Interlocked.Increment(ref _pending) > queueLimit)
        {
            Overflowed = true;
            _queue.Writer.TryComplete();
            return;
        }
        _queue.Writer.TryWrite(d);
    }

    /// <summary>Called by the reader for each delivery taken off the queue.</summary>
    public void Taken() => Interlocked.Decrement(ref _pending);

    public void Close() => _queue.Writer.TryComplete();
}
