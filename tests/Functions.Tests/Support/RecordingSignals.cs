using System.Collections.Concurrent;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Functions.Tests.Support;

/// <summary>Records the signals the dispatcher sends (the entities' behaviour is tested on a task hub).</summary>
public sealed class RecordingSignals : IObjectSignals
{
    public ConcurrentQueue<ObjectKey> Raised { get; } = new();

    private int _batches;

    /// <summary>Calls completed: all of a call's signals are in <see cref="Raised"/>.</summary>
    public int Batches => Volatile.Read(ref _batches);

    /// <summary>The signalled objects as <c>Kind/uid</c>.</summary>
    public IReadOnlyList<string> Ids => [.. Raised.Select(k => $"{k.Kind}/{k.Uid}")];

    public Task SignalChangedAsync(IReadOnlyCollection<ObjectKey> keys, CancellationToken ct)
    {
        foreach (var k in keys) Raised.Enqueue(k);
        Interlocked.Increment(ref _batches);
        return Task.CompletedTask;
    }
}
