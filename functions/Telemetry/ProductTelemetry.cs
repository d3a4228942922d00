using System.Diagnostics;

namespace ServerlessCapi.Telemetry;

/// <summary>The product's one <see cref="ActivitySource"/> and the names of its spans and attributes. A change of a
/// Cluster API object can be followed as one trace: relay publish → dispatch → signal → reconcile → the API writes the
/// reconcile makes (HTTP client spans), and on through the signals a reconcile sends to other objects.</summary>
/// <remarks>Attributes carry object identity (kind, namespace, name, uid) and outcomes only: never a request or message
/// body, header, key or token.</remarks>
public static class ProductTelemetry
{
    /// <summary>The source and meter name a host subscribes to.</summary>
    public const string Name = "ServerlessCapi";

    public static ActivitySource Source { get; } = new(Name);

    /// <summary>Span names.</summary>
    public static class Spans
    {
        /// <summary>One object change leaving the relay for the queue (one trace starts here).</summary>
        public const string RelayPublish = "relay publish";

        /// <summary>One CloudEvent taken off the queue and routed.</summary>
        public const string Dispatch = "dispatch";

        /// <summary>One signal to an object's durable entity (from the dispatcher, or a reconcile waking another object).</summary>
        public const string Signal = "signal";

        /// <summary>One reconcile of one object by its entity.</summary>
        public const string Reconcile = "reconcile";
    }

    /// <summary>Attribute names.</summary>
    public static class Attributes
    {
        public const string Kind = "scapi.kind";
        public const string Namespace = "scapi.namespace";
        public const string Name = "scapi.name";
        public const string Uid = "scapi.uid";

        /// <summary>What a reconcile came to: done, requeue, terminal, gone or failed.</summary>
        public const string Outcome = "scapi.outcome";

        /// <summary>A reconcile woken by its own requeue or retry rather than by a change.</summary>
        public const string Scheduled = "scapi.scheduled";

        /// <summary>How long a requeued reconcile waits before looking again, in seconds.</summary>
        public const string RequeueAfter = "scapi.requeue_after";

        /// <summary>Signals one reconcile served (coalesced change signals of one entity batch).</summary>
        public const string Signals = "scapi.signals";

        /// <summary>The CloudEvent's id (uid and resourceVersion of the object version it announces).</summary>
        public const string EventId = "cloudevents.event_id";

        public const string EventType = "cloudevents.event_type";

        public const string Destination = "messaging.destination.name";

        public const string ErrorType = "error.type";
    }

    /// <summary>Starts a span with the object's identity; null when nobody listens.</summary>
    public static Activity? StartObjectSpan(string name, ActivityKind kind, ActivityContext parent, string objectKind, string? ns,
        string objectName, string? uid, IEnumerable<ActivityLink>? links = null)
    {
        var activity = Source.StartActivity(name, kind, parent, links: links);
        if (activity is null) return null;
        activity.SetTag(Attributes.Kind, objectKind);
        if (!string.IsNullOrEmpty(ns)) activity.SetTag(Attributes.Namespace, ns);
        activity.SetTag(Attributes.Name, objectName);
        if (!string.IsNullOrEmpty(uid)) activity.SetTag(Attributes.Uid, uid);
        return activity;
    }

    /// <summary>Marks a span failed with the exception's type (its message may quote what it should not).</summary>
    public static void Failed(this Activity? activity, Exception error)
    {
        if (activity is null) return;
        activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
        activity.SetTag(Attributes.ErrorType, error.GetType().FullName);
    }
}
