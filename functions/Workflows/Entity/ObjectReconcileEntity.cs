using System.Diagnostics;
using Microsoft.DurableTask.Entities;
using ServerlessCapi.Telemetry;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Entity;

/// <summary>One durable entity per object. An entity runs one operation batch at a time, so an object is never
/// reconciled twice at once; every signal that arrived before a batch started is served by that batch's single
/// reconcile (the reconcile reads fresh state), which is how any number of change signals coalesce into one run.</summary>
/// <remarks>A new instance is created for every batch (see <see cref="Hosting.EntityShim"/>), so the
/// <c>ranThisBatch</c> field marks the batch, not the object.</remarks>
/// <param name="coalescer">This process's signal coalescer, told when a reconcile starts (none under the Functions host).</param>
public sealed class ObjectReconcileEntity(IObjectReconcile reconcile, RetryBackoff backoff, TimeProvider clock, CancellationToken stopping,
    SignalCoalescer? coalescer = null)
    : TaskEntity<ReconcileState>
{
    /// <summary>The entity name in every instance id (<c>@objectreconcile@{kind}.{uid}</c>).</summary>
    public const string Name = "objectreconcile";

    private bool ranThisBatch;
    private bool goneThisBatch;

    public static EntityInstanceId IdFor(ObjectKey key) => new(Name, key.DurableKey);

    /// <summary>The object changed (or an admin asked): reconcile now, reviving a terminal object. The reconcile continues
    /// the trace of the signal that asked for it.</summary>
    public Task Changed(ChangedSignal signal)
    {
        if (goneThisBatch)
        {
            // Signals queued behind the run that found the object gone: the state they would create stays deleted.
            State = null!;
            return Task.CompletedTask;
        }
        State.Key = signal.Key;
        State.TerminalReason = null;
        return RunOnceAsync(scheduled: false, signal.TraceParent);
    }

    /// <summary>A scheduled wake (requeue or retry). Only the one carrying the live sequence counts.</summary>
    public Task Wake(long sequence)
    {
        if (goneThisBatch || State.Key is null)
        {
            // A wake scheduled before the object was found gone recreated an empty entity: delete it again.
            State = null!;
            return Task.CompletedTask;
        }
        if (sequence != State.WakeSequence || State.TerminalReason is not null) return Task.CompletedTask;
        return RunOnceAsync(scheduled: true, signalTraceParent: null);
    }

    private async Task RunOnceAsync(bool scheduled, string? signalTraceParent)
    {
        if (ranThisBatch) return;
        ranThisBatch = true;
        var key = State.Key!;
        // Before the reconcile reads anything: a change signalled from here until now is seen by this run.
        coalescer?.RunStarting(key);
        State.Runs++;
        State.LastRunAt = clock.GetUtcNow();
        // Any wake scheduled before this run is now stale, whatever the outcome.
        State.WakeSequence++;
        State.WakeAt = null;
        // The API calls the reconcile makes are this span's children; the signals and wakes it sends carry its context.
        using var span = SignalTracing.StartReconcile(key, scheduled, signalTraceParent, State.TraceParent);
        State.TraceParent = TraceParent.Of(span) ?? State.TraceParent;
        ReconcileOutcome outcome;
        try
        {
            outcome = await reconcile.ReconcileAsync(new ReconcileRequest(key, scheduled, State.QuietPolls), stopping);
        }
#pragma warning disable CA1031 // Any failure, shutdown included, means "retry with backoff": a failed entity
        // operation would consume its signal without scheduling the next run.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            span.Failed(ex);
            span?.SetTag(ProductTelemetry.Attributes.Outcome, "failed");
            State.Failures++;
            State.LastError = $"{ex.GetType().Name}: {ex.Message}";
            State.Note(State.LastRunAt.Value, State.LastError, failed: true);
            ScheduleWake(backoff.DelayFor(State.Failures));
            return;
        }
        // Signalled in this batch's commit: a crash before it loses the reconcile and its wakes together, and the
        // retried reconcile sends them again.
        SignalTracing.Outcome(span, outcome);
        foreach (var other in outcome.Wakes.DistinctBy(w => w.DurableKey, StringComparer.Ordinal))
        {
            using var signal = SignalTracing.StartSignal(other);
            Context.SignalEntity(IdFor(other), nameof(Changed), SignalTracing.Payload(other, signal));
        }
        if (outcome is ReconcileOutcome.GoneOutcome)
        {
            // Deleting the state deletes the entity; a scheduled wake still in flight finds no key and deletes it again.
            State = null!;
            goneThisBatch = true;
            return;
        }
        State.Failures = 0;
        State.LastError = null;
        State.QuietPolls = outcome.QuietPolls;
        State.LastSummary = outcome.Summary;
        State.Note(State.LastRunAt.Value, outcome.Summary, failed: false);
        switch (outcome)
        {
            case ReconcileOutcome.RequeueOutcome requeue:
                ScheduleWake(requeue.Delay);
                break;
            case ReconcileOutcome.TerminalOutcome terminal:
                State.TerminalReason = terminal.Reason;
                break;
        }
    }

    private void ScheduleWake(TimeSpan delay)
    {
        var due = clock.GetUtcNow() + delay;
        State.WakeAt = due;
        // A zero delay is an ordinary signal: a scheduled one would wait for the next timer poll.
        Context.SignalEntity(Context.Id, nameof(Wake), State.WakeSequence,
            delay > TimeSpan.Zero ? new SignalEntityOptions { SignalTime = due } : null);
    }

    protected override ReconcileState InitializeState(TaskEntityOperation entityOperation) => new();
}
