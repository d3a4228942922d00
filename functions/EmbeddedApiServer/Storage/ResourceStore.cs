using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Watch;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>The objects of one resource in one cluster, in key order, with its watch window.</summary>
/// <remarks>Not thread-safe: the owning <see cref="Cluster"/> serialises access.</remarks>
public sealed class ResourceStore
{
    private readonly Dictionary<string, StoredObject> _items = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);

    private readonly int _watchWindow;

    public ResourceStore(ResourceType type, int watchWindow, long startRv)
    {
        Type = type;
        _watchWindow = watchWindow;
        Watch = new WatchHub(watchWindow, startRv);
    }

    /// <summary>The current definition (a CRD update may change columns or subresources).</summary>
    public ResourceType Type { get; set; }

    public WatchHub Watch { get; private set; }

    /// <summary>Starts an empty watch window at <paramref name="rv"/> (after restoring a snapshot).</summary>
    public void ResetWindow(long rv)
    {
        Watch.CloseAll();
        Watch = new WatchHub(_watchWindow, rv);
    }
    public int Count => _items.Count;

    public StoredObject? Get(string key) => _items.GetValueOrDefault(key);

    public void Put(StoredObject obj)
    {
        if (_items.TryAdd(obj.Key, obj)) _keys.Add(obj.Key);
        else _items[obj.Key] = obj;
    }

    public void Remove(string key)
    {
        if (_items.Remove(key)) _keys.Remove(key);
    }

    /// <summary>Objects in key order, in one namespace (or all), starting after <paramref name="after"/>.</summary>
    public IEnumerable<StoredObject> Scan(string? ns, string? after)
    {
        if (_keys.Count == 0) yield break;
        var from = ns is null ? "" : ns + "/";
        var to = ns is null ? "\uffff" : ns + "/\uffff";
        if (after is not null && string.CompareOrdinal(after, from) >= 0) from = after + "\0";
        if (string.CompareOrdinal(from, to) > 0) yield break;
        foreach (var key in _keys.GetViewBetween(from, to))
            yield return _items[key];
    }

    public IEnumerable<StoredObject> All => _items.Values;
}
