using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Selectors;
using ServerlessCapi.EmbeddedApiServer.Watch;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>The objects of one resource in one cluster, in key order, indexed by label, with its watch window.</summary>
/// <remarks>Not thread-safe: the owning <see cref="Cluster"/> serialises access. The label index keeps, for every
/// label pair, the keys that carry it in key order, so a list by an equality selector (how every controller lists
/// what it owns) visits only the objects carrying the pair and pages with the same continue keys as a full scan.</remarks>
public sealed class ResourceStore
{
    private readonly Dictionary<string, StoredObject> _items = new(StringComparer.Ordinal);
    private readonly SortedSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Key, string Value), SortedSet<string>> _byLabel = [];

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
        if (_items.TryGetValue(obj.Key, out var previous))
        {
            _items[obj.Key] = obj;
            if (ReferenceEquals(previous.Labels, obj.Labels) || SameLabels(previous.Labels, obj.Labels)) return;
            Unindex(previous);
        }
        else
        {
            _items.Add(obj.Key, obj);
            _keys.Add(obj.Key);
        }
        foreach (var (k, v) in obj.Labels)
        {
            if (!_byLabel.TryGetValue((k, v), out var keys)) _byLabel[(k, v)] = keys = new SortedSet<string>(StringComparer.Ordinal);
            keys.Add(obj.Key);
        }
    }

    public void Remove(string key)
    {
        if (!_items.Remove(key, out var previous)) return;
        _keys.Remove(key);
        Unindex(previous);
    }

    /// <summary>Objects in key order, in one namespace (or all), starting after <paramref name="after"/>.</summary>
    public IEnumerable<StoredObject> Scan(string? ns, string? after) => Scan(ns, after, LabelSelector.Everything);

    /// <summary>Objects in key order, in one namespace (or all), starting after <paramref name="after"/>, among those
    /// carrying the pairs <paramref name="labels"/> requires (the caller still matches the whole selector).</summary>
    public IEnumerable<StoredObject> Scan(string? ns, string? after, LabelSelector labels)
    {
        var keys = _keys;
        foreach (var pair in labels.RequiredPairs)
        {
            if (!_byLabel.TryGetValue(pair, out var carrying)) return [];
            if (carrying.Count < keys.Count) keys = carrying;
        }
        return Range(keys, ns, after);
    }

    private IEnumerable<StoredObject> Range(SortedSet<string> keys, string? ns, string? after)
    {
        if (keys.Count == 0) yield break;
        var from = ns is null ? "" : ns + "/";
        var to = ns is null ? "\uffff" : ns + "/\uffff";
        if (after is not null && string.CompareOrdinal(after, from) >= 0) from = after + "\0";
        if (string.CompareOrdinal(from, to) > 0) yield break;
        foreach (var key in keys.GetViewBetween(from, to))
            yield return _items[key];
    }

    private void Unindex(StoredObject obj)
    {
        foreach (var pair in obj.Labels)
        {
            var at = (pair.Key, pair.Value);
            if (_byLabel.TryGetValue(at, out var keys) && keys.Remove(obj.Key) && keys.Count == 0) _byLabel.Remove(at);
        }
    }

    private static bool SameLabels(IReadOnlyDictionary<string, string> a, IReadOnlyDictionary<string, string> b)
    {
        if (a.Count != b.Count) return false;
        foreach (var (k, v) in a)
        {
            if (!b.TryGetValue(k, out var other) || other != v) return false;
        }
        return true;
    }

    public IEnumerable<StoredObject> All => _items.Values;
}
