namespace ServerlessCapi.Durable;

/// <summary>A clock that moves only when told to (for tests of workflow logic with timers).</summary>
public sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly object _gate = new();
    private DateTimeOffset _now = start;

    public ManualClock() : this(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) return _now;
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (_gate) _now += by;
    }

    public void SetUtcNow(DateTimeOffset now)
    {
        lock (_gate)
        {
            if (now < _now) throw new ArgumentOutOfRangeException(nameof(now), "The clock never goes back.");
            _now = now;
        }
    }
}
