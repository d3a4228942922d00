using System.Diagnostics;
using ServerlessCapi.Telemetry;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Entity;

/// <summary>The spans of the durable side: a <c>signal</c> span for each signal sent to an object's entity (its
/// context goes into the signal's payload), and the <c>reconcile</c> span an entity starts from it.</summary>
public static class SignalTracing
{
    /// <summary>Starts a <c>signal</c> span as a child of the current span (a dispatch, or a reconcile waking another
    /// object); null when nobody listens or there is no trace to continue.</summary>
    public static Activity? StartSignal(ObjectKey key) =>
        Activity.Current is null
            ? null
            : ProductTelemetry.StartObjectSpan(ProductTelemetry.Spans.Signal, ActivityKind.Producer, default, key.Kind, key.Namespace, key.Name, key.Uid);

    /// <summary>The payload of a change signal to <paramref name="key"/>, carrying <paramref name="span"/>'s context.</summary>
    public static ChangedSignal Payload(ObjectKey key, Activity? span) => ChangedSignal.For(key, TraceParent.Of(span));

    /// <summary>The trace contexts of the change signals one entity batch holds, when the host can see the whole batch
    /// before running it (the standalone host can; the Functions entity trigger hands operations over one at a time).
    /// The batch's single reconcile links them all.</summary>
    internal static AsyncLocal<IReadOnlyList<ActivityContext>?> BatchSignals { get; } = new();

    /// <summary>Starts the <c>reconcile</c> span: a change continues its signal's trace (linking the other signals it
    /// coalesced); a scheduled wake starts a new trace linked to the reconcile that scheduled it.</summary>
    internal static Activity? StartReconcile(ObjectKey key, bool scheduled, string? signalTraceParent, string? previousTraceParent)
    {
        if (!ProductTelemetry.Source.HasListeners()) return null;
        var links = new List<ActivityLink>();
        ActivityContext parent = default;
        if (scheduled)
        {
            if (TraceParent.TryParse(previousTraceParent, out var previous)) links.Add(new ActivityLink(previous));
        }
        else
        {
            parent = TraceParent.ParseOrDefault(signalTraceParent);
            foreach (var other in BatchSignals.Value ?? [])
                if (other != parent && links.All(l => l.Context != other)) links.Add(new ActivityLink(other));
        }
        // Never a child of whatever the host runs the entity under: the signal (or nothing, for a new trace) is the parent.
        var outer = Activity.Current;
        Activity.Current = null;
        var span = ProductTelemetry.StartObjectSpan(ProductTelemetry.Spans.Reconcile, ActivityKind.Consumer, parent, key.Kind, key.Namespace,
            key.Name, key.Uid, links);
        if (span is null) Activity.Current = outer;
        span?.SetTag(ProductTelemetry.Attributes.Scheduled, scheduled);
        if (!scheduled) span?.SetTag(ProductTelemetry.Attributes.Signals, Math.Max(1, links.Count + (parent == default ? 0 : 1)));
        return span;
    }

    /// <summary>Records what the reconcile came to.</summary>
    internal static void Outcome(Activity? span, ReconcileOutcome outcome)
    {
        if (span is null) return;
        span.SetTag(ProductTelemetry.Attributes.Outcome, outcome switch
        {
            ReconcileOutcome.RequeueOutcome => "requeue",
            ReconcileOutcome.TerminalOutcome => "terminal",
            ReconcileOutcome.GoneOutcome => "gone",
            _ => "done",
        });
        if (outcome is ReconcileOutcome.RequeueOutcome requeue) span.SetTag(ProductTelemetry.Attributes.RequeueAfter, requeue.Delay.TotalSeconds);
        span.SetStatus(ActivityStatusCode.Ok);
    }
}
