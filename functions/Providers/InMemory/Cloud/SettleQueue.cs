namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>VMs whose Node must be brought in line, by when; the background loop drains it.</summary>
public sealed class SettleQueue : IDisposable
{
    private readonly Lock _lock = new();
    private readonly PriorityQueue<string, DateTimeOffset> _queue = new();
    private readonly Dictionary<string, DateTimeOffset> _due = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);

    public int Count
    {
        get
        {
            lock (_lock) return _due.Count;
        }
    }

    /// <summary>Asks for the VM to be settled at <paramref name="at"/> (the earlier of two requests wins).</summary>
    public void Schedule(string id, DateTimeOffset at)
    {
        lock (_lock)
        {
            if (_due.TryGetValue(id, out var existing) && existing <= at) return;
            _due[id] = at;
            _queue.Enqueue(id, at);
        }
        _changed.Release();
    }

    /// <summary>Removes and returns the VMs due at <paramref name="now"/>, and when the next one is due.</summary>
    public (IReadOnlyList<string> Due, DateTimeOffset? Next) TakeDue(DateTimeOffset now, int max)
    {
        var due = new List<string>();
        lock (_lock)
        {
            while (due.Count < max && _queue.TryPeek(out var id, out var at) && at <= now)
            {
                _queue.Dequeue();
                // Skip superseded entries (an earlier request replaced this one).
                if (_due.TryGetValue(id, out var current) && current == at)
                {
                    _due.Remove(id);
                    due.Add(id);
                }
            }
            while (_queue.TryPeek(out var id, out var at) && (!_due.TryGetValue(id, out var current) || current != at))
                _queue.Dequeue();
            return (due, _queue.TryPeek(out _, out var next) ? next : null);
        }
    }

    /// <summary>Waits until something is scheduled or <paramref name="timeout"/> passes.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        await _changed.WaitAsync(timeout, ct);
        // Collapse a burst of schedules into one wake-up.
        while (_changed.CurrentCount > 0 && _changed.Wait(0, CancellationToken.None))
        {
        }
    }

    public void Dispose() => _changed.Dispose();
}
