using System.Diagnostics;
using Azure.Messaging;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Telemetry;

namespace ServerlessCapi.Functions.Dispatch;

/// <summary>One <c>dispatch</c> span per CloudEvent of a queue message: the child of the span its <c>traceparent</c>
/// names (the relay's publish), or a new trace when it carries none. The host's own invocation span, when there is one,
/// is linked rather than made the parent: the change's trace is the one to follow.</summary>
internal static class DispatchSpans
{
    /// <summary>One entry per event, null where nothing was recorded.</summary>
    public static IReadOnlyList<Activity?> Start(IReadOnlyList<CloudEvent> events, string queue)
    {
        var spans = new Activity?[events.Count];
        if (!ProductTelemetry.Source.HasListeners()) return spans;
        var invocation = Activity.Current;
        ActivityLink[]? links = invocation is null ? null : [new ActivityLink(invocation.Context)];
        try
        {
            for (var i = 0; i < events.Count; i++)
            {
                Activity.Current = null;
                var e = events[i];
                var parent = TraceParent.ParseOrDefault(ObjectEvents.TraceParentOf(e));
                ObjectEventData? change = null;
                try
                {
                    change = ObjectEvents.DataOf(e);
                }
                catch (System.Text.Json.JsonException)
                {
                    // The dispatch itself reports a bad event; its span just has no object to name.
                }
                var span = change is null
                    ? ProductTelemetry.Source.StartActivity(ProductTelemetry.Spans.Dispatch, ActivityKind.Consumer, parent, links: links)
                    : ProductTelemetry.StartObjectSpan(ProductTelemetry.Spans.Dispatch, ActivityKind.Consumer, parent, change.Kind, change.Namespace,
                        change.Name, change.Uid, links);
                span?.SetTag(ProductTelemetry.Attributes.EventId, e.Id);
                span?.SetTag(ProductTelemetry.Attributes.EventType, e.Type);
                span?.SetTag(ProductTelemetry.Attributes.Destination, queue);
                spans[i] = span;
            }
        }
        finally
        {
            Activity.Current = invocation;
        }
        return spans;
    }

    public static void End(IReadOnlyList<Activity?> spans, Exception? error)
    {
        var current = Activity.Current;
        foreach (var span in spans)
        {
            if (span is null) continue;
            if (error is not null) span.Failed(error);
            else span.SetStatus(ActivityStatusCode.Ok);
            span.Stop();
        }
        Activity.Current = current;
    }
}
