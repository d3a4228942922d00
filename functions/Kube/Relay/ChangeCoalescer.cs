using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Kube.Relay;

/// <summary>Collects changes per object for a short window so a burst becomes one event carrying the
/// newest version, and tracks the resourceVersion up to which everything has been collected.</summary>
/// <remarks>Thread-safe: the watch loop adds while a flusher drains.</remarks>
public sealed class ChangeCoalescer(TimeSpan window, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Dictionary<string, ObjectEventData> _pending = new(StringComparer.Ordinal);
    private DateTimeOffset? _firstPendingAt;
    private string? _resourceVersion;
    private bool _resourceVersionChanged;

    /// <summary>Changes merged into an existing pending change (bursts saved).</summary>
    public long Coalesced { get; private set; }

    public void Add(ObjectEventData change, string? resourceVersion)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(change.Uid, out var earlier))
            {
                Coalesced++;
                // The newest version goes out, saying everything the merged changes touched.
                change = change with { Changed = ObjectAspects.Union(earlier.Changed, change.Changed) };
            }
            _pending[change.Uid] = change;
            _firstPendingAt ??= time.GetUtcNow();
            Advance(resourceVersion);
        }
    }

    /// <summary>A bookmark: nothing changed up to <paramref name="resourceVersion"/>.</summary>
    public void Bookmark(string? resourceVersion)
    {
        lock (_gate)
        {
            _firstPendingAt ??= time.GetUtcNow();
            Advance(resourceVersion);
        }
    }

    /// <summary>True when the oldest pending change has waited a full window.</summary>
    public bool IsDue
    {
        get
        {
            lock (_gate) return _firstPendingAt is { } first && time.GetUtcNow() - first >= window;
        }
    }

    /// <summary>Takes everything pending and the resourceVersion it covers (null when that did not move).</summary>
    public (IReadOnlyList<ObjectEventData> Changes, string? ResourceVersion) Drain()
    {
        lock (_gate)
        {
            var changes = _pending.Values.ToList();
            _pending = new Dictionary<string, ObjectEventData>(StringComparer.Ordinal);
            _firstPendingAt = null;
            var rv = _resourceVersionChanged ? _resourceVersion : null;
            _resourceVersionChanged = false;
            return (changes, rv);
        }
    }

    /// <summary>Puts back changes whose sending failed (newer pending versions of an object win).</summary>
    public void Restore(IReadOnlyList<ObjectEventData> changes, string? resourceVersion)
    {
        lock (_gate)
        {
            foreach (var change in changes)
            {
                if (_pending.TryGetValue(change.Uid, out var newer))
                    _pending[change.Uid] = newer with { Changed = ObjectAspects.Union(change.Changed, newer.Changed) };
                else
                    _pending[change.Uid] = change;
            }
            if (changes.Count > 0 || resourceVersion is not null) _firstPendingAt ??= time.GetUtcNow();
            if (resourceVersion is not null) _resourceVersionChanged = true;
        }
    }

    private void Advance(string? resourceVersion)
    {
        if (string.IsNullOrEmpty(resourceVersion) || resourceVersion == _resourceVersion) return;
        _resourceVersion = resourceVersion;
        _resourceVersionChanged = true;
    }
}
