using System.Collections.Concurrent;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.DurableBench;

/// <summary>The old engine benchmark's four-step workflow as reconciles: a change starts it, the first reconcile asks
/// for a 1 s requeue (the durable timer), the next two requeue at once (the self-signals), the fourth is done.</summary>
internal sealed class FourStepReconcile(int objects) : IObjectReconcile
{
    public const int Steps = 4;
    private readonly ConcurrentDictionary<string, int> calls = new();
    private readonly TaskCompletionSource allDone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int done;

    public Task AllDone => allDone.Task;

    public Task<ReconcileOutcome> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        var call = calls.AddOrUpdate(key.Uid, 1, (_, n) => n + 1);
        var outcome = call switch
        {
            1 => ReconcileOutcome.RequeueAfter(TimeSpan.FromSeconds(1)),
            2 or 3 => ReconcileOutcome.RequeueAfter(TimeSpan.Zero),
            _ => ReconcileOutcome.Done,
        };
        if (call == Steps && Interlocked.Increment(ref done) == objects) allDone.TrySetResult();
        return Task.FromResult(outcome);
    }
}
