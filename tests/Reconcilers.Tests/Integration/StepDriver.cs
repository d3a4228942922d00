using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using Durable = ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>Runs one reconciler's reconciles by hand, through the same <see cref="ReconcileStep"/> the objects' entities
/// use, against the real API server (no task hub): each call is one reconcile told what the previous one left (the
/// quiet-poll count), and the wakes it asked for are recorded.</summary>
public sealed class StepDriver(IObjectReconciler reconciler, ObjectKey key)
{
    private readonly ReconcileStep _step = new(reconciler);
    private int _quietPolls;

    /// <summary>Every object the reconciles asked to wake, in order.</summary>
    public List<ObjectKey> Wakes { get; } = [];

    /// <summary>The last reconcile's outcome.</summary>
    public Durable.ReconcileOutcome? Last { get; private set; }

    /// <summary>When the last reconcile asked to look again (null: it waits for the next change).</summary>
    public TimeSpan? RequeueAfter => (Last as Durable.ReconcileOutcome.RequeueOutcome)?.Delay;

    /// <summary>One reconcile, woken by a change (or, with <paramref name="timer"/>, by its own requeue).</summary>
    public async Task<Durable.ReconcileOutcome> StepAsync(bool timer = false)
    {
        Last = await _step.RunAsync(new Durable.ReconcileRequest(ReconcileStep.ToDurable(key), timer, _quietPolls), DateTimeOffset.UtcNow, CancellationToken.None);
        _quietPolls = Last.QuietPolls;
        Wakes.AddRange(Last.Wakes.Select(ReconcileStep.FromDurable));
        return Last;
    }

    /// <summary>Reconciles until <paramref name="done"/> holds (checked after each) or the budget runs out.</summary>
    public async Task StepUntilAsync(Func<Task<bool>> done, int maxSteps = 20, string? what = null)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            await StepAsync();
            if (await done()) return;
            if (Last is Durable.ReconcileOutcome.GoneOutcome or Durable.ReconcileOutcome.TerminalOutcome) break;
        }
        throw new InvalidOperationException($"{what ?? "Condition"} did not hold after {maxSteps} reconciles (last: {Last?.GetType().Name} {Last?.Summary}).");
    }
}
