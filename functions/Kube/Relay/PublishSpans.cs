using System.Diagnostics;
using Azure.Messaging;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Telemetry;

namespace ServerlessCapi.Kube.Relay;

/// <summary>One <c>relay publish</c> span per relayed change: each change starts a trace of its own, whose context
/// rides in the event's <c>traceparent</c> extension attribute to the dispatcher and on into the reconciles it causes.
/// One span per event rather than per queue message, so a Machine's provisioning reads as its own trace even when its
/// change shared a message with thirty others.</summary>
internal static class PublishSpans
{
    public static IReadOnlyList<Activity> Start(IReadOnlyList<CloudEvent> events, IReadOnlyList<ObjectEventData> changes, string queue)
    {
        if (!ProductTelemetry.Source.HasListeners()) return [];
        var spans = new List<Activity>(events.Count);
        var previous = Activity.Current;
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                // Each change is the root of its own trace, whatever span (if any) the watch loop runs under.
                Activity.Current = null;
                var change = changes[i];
                var span = ProductTelemetry.StartObjectSpan(ProductTelemetry.Spans.RelayPublish, ActivityKind.Producer, default,
                    change.Kind, change.Namespace, change.Name, change.Uid);
                if (span is null) continue;
                span.SetTag(ProductTelemetry.Attributes.EventId, events[i].Id);
                span.SetTag(ProductTelemetry.Attributes.EventType, events[i].Type);
                span.SetTag(ProductTelemetry.Attributes.Destination, queue);
                ObjectEvents.SetTraceParent(events[i], TraceParent.Of(span));
                spans.Add(span);
            }
        }
        finally
        {
            Activity.Current = previous;
        }
        return spans;
    }

    /// <summary>Ends the spans once the events are on the queue (or failed to get there: the relay retries them).</summary>
    public static void End(IReadOnlyList<Activity> spans, Exception? error)
    {
        var previous = Activity.Current;
        foreach (var span in spans)
        {
            if (error is not null) span.Failed(error);
            span.Stop();
        }
        Activity.Current = previous;
    }
}
