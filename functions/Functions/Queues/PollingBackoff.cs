namespace ServerlessCapi.Functions.Queues;

/// <summary>The wait between polls: zero while messages come, doubling from a minimum to a maximum while
/// the queue stays empty, and back to zero at the next message.</summary>
public sealed class PollingBackoff(TimeSpan minimum, TimeSpan maximum)
{
    private TimeSpan _current = TimeSpan.Zero;

    public TimeSpan Current => _current;

    /// <summary>Incremented each time a message ends a run of empty polls.</summary>
    public long Resets { get; private set; }

    /// <summary>The poll found nothing: returns how long to wait before the next.</summary>
    public TimeSpan Empty()
    {
        var next = _current == TimeSpan.Zero ? minimum : _current * 2;
        _current = next > maximum ? maximum : next;
        return _current;
    }

    /// <summary>The poll found messages: poll again at once.</summary>
    public void Hit()
    {
        if (_current != TimeSpan.Zero) Resets++;
        _current = TimeSpan.Zero;
    }
}
