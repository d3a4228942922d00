using System.Collections.Concurrent;

namespace ServerlessCapi.Functions.Tests.Support;

/// <summary>What test functions saw, shared between a test and the app it started.</summary>
public sealed class Recorder
{
    private int _running;
    private int _maxRunning;

    public ConcurrentQueue<object> Calls { get; } = new();

    public int Count => Calls.Count;
    public int MaxRunning => Volatile.Read(ref _maxRunning);
    public int Running => Volatile.Read(ref _running);

    /// <summary>Marks a handler as running until the returned scope is disposed.</summary>
    public IDisposable Enter()
    {
        var now = Interlocked.Increment(ref _running);
        int seen;
        while (now > (seen = Volatile.Read(ref _maxRunning)) && Interlocked.CompareExchange(ref _maxRunning, now, seen) != seen)
        {
        }
        return new Exit(this);
    }

    public void Record(object call) => Calls.Enqueue(call);

    public IReadOnlyList<T> Of<T>() => Calls.OfType<T>().ToList();

    private sealed class Exit(Recorder recorder) : IDisposable
    {
        public void Dispose() => Interlocked.Decrement(ref recorder._running);
    }
}
