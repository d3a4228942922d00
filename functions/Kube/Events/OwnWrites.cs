using System.Collections.Concurrent;

namespace ServerlessCapi.Kube.Events;

/// <summary>The object versions this process's workflows wrote to their own objects, so the dispatcher need not wake a
/// workflow for a change it made itself.</summary>
/// <remarks>
/// A workflow writes its object with a resourceVersion precondition, so the version it produced holds nothing it had
/// not seen: an event whose newest version is one of these tells the writer nothing. Any later write by someone else
/// has another version and wakes it as usual, and a coalesced event carries the newest version, so nothing is hidden.
/// Bounded: the oldest entries are forgotten first, and forgetting only costs an extra wake. Per process: an event
/// dispatched by another process wakes the writer as before.
/// </remarks>
public sealed class OwnWrites(int capacity = 100_000)
{
    private readonly ConcurrentDictionary<(string Uid, string ResourceVersion), byte> _written = new();
    private readonly ConcurrentQueue<(string Uid, string ResourceVersion)> _order = new();

    public int Count => _written.Count;

    /// <summary>Records that the object's own workflow wrote version <paramref name="resourceVersion"/> of <paramref name="uid"/>.</summary>
    public void Record(string uid, string? resourceVersion)
    {
        if (string.IsNullOrEmpty(uid) || string.IsNullOrEmpty(resourceVersion)) return;
        if (!_written.TryAdd((uid, resourceVersion), 0)) return;
        _order.Enqueue((uid, resourceVersion));
        while (_written.Count > capacity && _order.TryDequeue(out var oldest)) _written.TryRemove(oldest, out _);
    }

    /// <summary>True once per recorded version: the event for it is the writer's own echo.</summary>
    public bool IsOwnEcho(string uid, string? resourceVersion) =>
        resourceVersion is not null && _written.TryRemove((uid, resourceVersion), out _);
}
