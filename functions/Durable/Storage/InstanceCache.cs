using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable.Storage;

/// <summary>The last row this process committed or read per instance, with its ETag: a step on a hot instance
/// skips its read. Never trusted for correctness: a stale entry fails the ETag check and is re-read.</summary>
internal sealed class InstanceCache(int capacity)
{
    private readonly Dictionary<string, LinkedListNode<(string Id, InstanceSnapshot Snapshot)>> _map = new(StringComparer.Ordinal);
    private readonly LinkedList<(string Id, InstanceSnapshot Snapshot)> _order = new();

    public InstanceSnapshot? TryGet(string instanceId)
    {
        lock (_map)
        {
            if (!_map.TryGetValue(instanceId, out var node)) return null;
            _order.Remove(node);
            _order.AddFirst(node);
            var s = node.Value.Snapshot;
            return new InstanceSnapshot { Record = s.Record.Clone(), ETag = s.ETag, Dedup = s.Dedup, FromCache = true };
        }
    }

    public void Set(string instanceId, InstanceSnapshot snapshot)
    {
        if (capacity <= 0) return;
        var stored = new InstanceSnapshot { Record = snapshot.Record.Clone(), ETag = snapshot.ETag, Dedup = [.. snapshot.Dedup] };
        lock (_map)
        {
            if (_map.TryGetValue(instanceId, out var node))
            {
                _order.Remove(node);
                _map.Remove(instanceId);
            }
            _map[instanceId] = _order.AddFirst((instanceId, stored));
            while (_map.Count > capacity)
            {
                var last = _order.Last!;
                _order.RemoveLast();
                _map.Remove(last.Value.Id);
            }
        }
    }

    public void Remove(string instanceId)
    {
        lock (_map)
        {
            if (_map.Remove(instanceId, out var node)) _order.Remove(node);
        }
    }
}
