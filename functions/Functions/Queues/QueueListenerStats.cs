namespace ServerlessCapi.Functions.Queues;

/// <summary>Counters of one queue listener, for readiness and diagnostics.</summary>
public sealed class QueueListenerStats
{
    private long _polls;
    private long _received;
    private long _running;
    private long _maxRunning;
    private long _renewals;
    private long _poisoned;
    private long _backoffResets;
    private long _currentDelayTicks;

    public long Polls => Interlocked.Read(ref _polls);
    public long Received => Interlocked.Read(ref _received);
    public long Running => Interlocked.Read(ref _running);
    /// <summary>The most handlers seen running at once.</summary>
    public long MaxRunning => Interlocked.Read(ref _maxRunning);
    public long VisibilityRenewals => Interlocked.Read(ref _renewals);
    public long Poisoned => Interlocked.Read(ref _poisoned);
    public long BackoffResets => Interlocked.Read(ref _backoffResets);
    public TimeSpan CurrentDelay => TimeSpan.FromTicks(Interlocked.Read(ref _currentDelayTicks));

    internal void Polled(int messages, TimeSpan delay, long resets)
    {
        Interlocked.Increment(ref _polls);
        Interlocked.Add(ref _received, messages);
        Interlocked.Exchange(ref _currentDelayTicks, delay.Ticks);
        Interlocked.Exchange(ref _backoffResets, resets);
    }

    internal long Started()
    {
        var now = Interlocked.Increment(ref _running);
        long seen;
        while (now > (seen = Interlocked.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }
        return now;
    }

    internal long Finished() => Interlocked.Decrement(ref _running);
    internal void Renewed() => Interlocked.Increment(ref _renewals);
    internal void MovedToPoison() => Interlocked.Increment(ref _poisoned);
}
