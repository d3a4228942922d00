namespace ServerlessCapi.EmbeddedApiServer.Watch;

/// <summary>The recent events of one resource (a fixed-size ring) and the watchers to fan them out to.</summary>
/// <remarks>Not thread-safe: the owning cluster serialises access, which also keeps each watcher's queue in
/// commit order with no gap between the replayed window and live events.</remarks>
public sealed class WatchHub(int window, long startRv)
{
    // Grows up to the window on demand: most resources of most (workload) clusters see few events.
    private WatchEvent[] _ring = new WatchEvent[Math.Clamp(window, 1, 16)];
    private readonly int _window = Math.Max(1, window);
    private readonly List<Watcher> _watchers = [];
    private int _start;
    private int _count;

    /// <summary>Events up to and including this version are no longer retained.</summary>
    public long EvictedThrough { get; private set; } = startRv;

    public int WatcherCount => _watchers.Count;

    public void Publish(WatchEvent e)
    {
        if (_count == _ring.Length && _ring.Length < _window)
        {
            var grown = new WatchEvent[Math.Min(_window, _ring.Length * 2)];
            for (var i = 0; i < _count; i++) grown[i] = _ring[(_start + i) % _ring.Length];
            _ring = grown;
            _start = 0;
        }
        if (_count == _ring.Length)
        {
            EvictedThrough = _ring[_start].ResourceVersion;
            _ring[_start] = e;
            _start = (_start + 1) % _ring.Length;
        }
        else
        {
            _ring[(_start + _count) % _ring.Length] = e;
            _count++;
        }
        foreach (var w in _watchers) w.Offer(e);
    }

    /// <summary>Queues to the watcher every retained event after <paramref name="afterRv"/>; false when that
    /// version is older than the window (the client gets 410 Gone and must list again).</summary>
    public bool Replay(long afterRv, Watcher watcher)
    {
        if (afterRv < EvictedThrough) return false;
        for (var i = 0; i < _count; i++)
        {
            var e = _ring[(_start + i) % _ring.Length];
            if (e.ResourceVersion > afterRv) watcher.Offer(e);
        }
        return true;
    }

    public void Add(Watcher w) => _watchers.Add(w);

    public void Remove(Watcher w) => _watchers.Remove(w);

    /// <summary>Forgets the window (after the resource's CRD is deleted or a snapshot is loaded).</summary>
    public void CloseAll()
    {
        foreach (var w in _watchers) w.Close();
        _watchers.Clear();
    }
}
