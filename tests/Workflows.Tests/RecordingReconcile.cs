using System.Collections.Concurrent;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>A reconcile that records what it saw and answers with a scripted outcome per run. "Generation" stands
/// for the object's current state: a test bumps it before signalling, and the reconcile records the generation it
/// observed, so "every change was seen" is checkable.</summary>
internal sealed class RecordingReconcile : IObjectReconcile
{
    private int inFlight;

    public ConcurrentDictionary<string, long> Generation { get; } = new();

    public ConcurrentDictionary<string, long> Observed { get; } = new();

    public ConcurrentDictionary<string, int> Calls { get; } = new();

    /// <summary>Calls woken by the object's own scheduled wake (a requeue or a retry) rather than by a change.</summary>
    public ConcurrentDictionary<string, int> ScheduledCalls { get; } = new();

    /// <summary>Largest number of reconciles of one object seen running at once.</summary>
    public int MaxConcurrentPerObject { get; private set; }

    /// <summary>Decides the outcome of call number n (1-based) for a key; may throw.</summary>
    public Func<ObjectKey, int, Task<ReconcileOutcome>> Script { get; set; } = (_, _) => Task.FromResult(ReconcileOutcome.Done);

    private readonly ConcurrentDictionary<string, int> running = new();

    public long Bump(ObjectKey key) => Generation.AddOrUpdate(key.DurableKey, 1, (_, g) => g + 1);

    public Task<ReconcileOutcome> ReconcileAsync(ReconcileRequest request, CancellationToken ct)
    {
        if (request.Scheduled) ScheduledCalls.AddOrUpdate(request.Key.DurableKey, 1, (_, n) => n + 1);
        return ReconcileAsync(request.Key, ct);
    }

    public async Task<ReconcileOutcome> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var now = running.AddOrUpdate(key.DurableKey, 1, (_, n) => n + 1);
        lock (running) MaxConcurrentPerObject = Math.Max(MaxConcurrentPerObject, now);
        Interlocked.Increment(ref inFlight);
        try
        {
            Observed[key.DurableKey] = Generation.GetValueOrDefault(key.DurableKey);
            var call = Calls.AddOrUpdate(key.DurableKey, 1, (_, n) => n + 1);
            return await Script(key, call);
        }
        finally
        {
            running.AddOrUpdate(key.DurableKey, 0, (_, n) => n - 1);
            Interlocked.Decrement(ref inFlight);
        }
    }

    public int CallsOf(ObjectKey key) => Calls.GetValueOrDefault(key.DurableKey);

    public int ScheduledCallsOf(ObjectKey key) => ScheduledCalls.GetValueOrDefault(key.DurableKey);
}
