namespace ServerlessCapi.Durable.Storage;

/// <summary>Wakes this process's partition pollers when this process sends to their queue (now, or when a delayed
/// timer message becomes visible), so an idle poller need not wait out its backoff. Other processes still find the
/// messages by polling.</summary>
internal sealed class LocalWakeups
{
    private readonly Signal[] _signals;
    private readonly TimeProvider _time;

    public LocalWakeups(int partitions, TimeProvider time)
    {
        _signals = [.. Enumerable.Range(0, partitions).Select(_ => new Signal())];
        _time = time;
    }

    public void Notify(int partition, TimeSpan delay)
    {
        if (delay <= TimeSpan.Zero)
        {
            _signals[partition].Set();
            return;
        }
        if (delay > TimeSpan.FromHours(1)) return;
        // A little after the message becomes visible on the service's clock.
        ITimer? timer = null;
        timer = _time.CreateTimer(_ =>
        {
            _signals[partition].Set();
            timer?.Dispose();
        }, null, delay + TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan);
    }

    /// <summary>Waits until notified or <paramref name="timeout"/> passes.</summary>
    public Task WaitAsync(int partition, TimeSpan timeout, CancellationToken ct) => _signals[partition].WaitAsync(timeout, ct);

    // Lives as long as the process's engine; nothing to dispose early.
#pragma warning disable CA1001
    private sealed class Signal
#pragma warning restore CA1001
    {
        private readonly SemaphoreSlim _gate = new(0, 1);

        public void Set()
        {
            try
            {
                _gate.Release();
            }
            catch (SemaphoreFullException)
            {
                // Already signalled.
            }
        }

        public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _gate.WaitAsync(timeout, ct);
    }
}
