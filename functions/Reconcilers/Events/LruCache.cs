namespace ServerlessCapi.Reconcilers.Events;

/// <summary>A bounded map that forgets the least recently used entry first. Not thread-safe: the owner locks.</summary>
internal sealed class LruCache<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly Dictionary<TKey, LinkedListNode<(TKey Key, TValue Value)>> _map = [];
    private readonly LinkedList<(TKey Key, TValue Value)> _order = [];

    public int Count => _map.Count;

    public bool TryGet(TKey key, out TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            _order.AddFirst(node);
            value = node.Value.Value;
            return true;
        }
        value = default!;
        return false;
    }

    public void Set(TKey key, TValue value)
    {
        if (_map.TryGetValue(key, out var node))
        {
            _order.Remove(node);
            node.Value = (key, value);
            _order.AddFirst(node);
            return;
        }
        _map[key] = _order.AddFirst((key, value));
        if (_map.Count <= capacity) return;
        var last = _order.Last!;
        _order.RemoveLast();
        _map.Remove(last.Value.Key);
    }

    public void Remove(TKey key)
    {
        if (_map.Remove(key, out var node)) _order.Remove(node);
    }
}
