using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Functions.Dispatch;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Reconcilers.Kinds;
using ServerlessCapi.Telemetry;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Functions.Tests.Observability;

/// <summary>Spans listened to process-wide: these tests run alone, so other tests' dispatches make no spans.</summary>
[CollectionDefinition(nameof(TracingCollection), DisableParallelization = true)]
public sealed class TracingCollection;

/// <summary>The dispatcher continues the trace each CloudEvent's <c>traceparent</c> names, and signals under it.</summary>
[Collection(nameof(TracingCollection))]
public sealed class DispatchTracingTests : IDisposable
{
    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<Activity> stopped = new();

    public DispatchTracingTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ProductTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task Each_event_of_a_message_gets_a_dispatch_span_under_its_traceparent_and_its_signals_go_out_under_that_span()
    {
        var first = Context();
        var second = Context();
        var a = Event("m1", "u-m1", first);
        var b = Event("m2", "u-m2", second);
        var untraced = Event("m3", "u-m3", null);
        var signals = new CapturingSignals();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var dispatch = new DispatchObjectEvent(signals, ReconciledKinds.Routes(), new NoLookup(), new OwnWrites(),
            new DispatchMetrics(services.GetRequiredService<IMeterFactory>()), TimeProvider.System, NullLogger<DispatchObjectEvent>.Instance);

        await dispatch.RunAsync(ObjectEvents.SerializeBatch([a, b, untraced]),
            new QueueMessageInfo("capi-events", "1", 1, null, null, null, null), CancellationToken.None);

        var spans = stopped.Where(s => s.DisplayName == ProductTelemetry.Spans.Dispatch).ToList();
        spans.Count.ShouldBe(3);
        var forFirst = spans.Single(s => s.TraceId == first.TraceId);
        forFirst.ParentSpanId.ShouldBe(first.SpanId);
        forFirst.Kind.ShouldBe(ActivityKind.Consumer);
        forFirst.GetTagItem(ProductTelemetry.Attributes.Name).ShouldBe("m1");
        forFirst.GetTagItem(ProductTelemetry.Attributes.EventId).ShouldBe(a.Id);
        forFirst.Status.ShouldBe(ActivityStatusCode.Ok);
        spans.Single(s => s.TraceId == second.TraceId).ParentSpanId.ShouldBe(second.SpanId);
        var forUntraced = spans.Single(s => (string?)s.GetTagItem(ProductTelemetry.Attributes.Name) == "m3");
        forUntraced.ParentSpanId.ShouldBe(default, "an event without a traceparent starts a trace of its own");

        signals.Under["u-m1"].ShouldBe(forFirst.SpanId);
        signals.Under["u-m2"].ShouldBe(spans.Single(s => s.TraceId == second.TraceId).SpanId);
        signals.Under["u-m3"].ShouldBe(forUntraced.SpanId);
    }

    private static ActivityContext Context() => new(ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom(), ActivityTraceFlags.Recorded, null, true);

    private static Azure.Messaging.CloudEvent Event(string name, string uid, ActivityContext? context)
    {
        var data = new ObjectEventData
        {
            ApiVersion = "cluster.x-k8s.io/v1beta2",
            Kind = "Machine",
            Namespace = "ns",
            Name = name,
            Uid = uid,
            ResourceVersion = "7",
        };
        var e = ObjectEvents.Create("mgmt", "machines", data, DateTimeOffset.UtcNow);
        if (context is { } c) ObjectEvents.SetTraceParent(e, TraceParent.Format(c));
        return e;
    }

    /// <summary>Records the span each object's signal was sent under.</summary>
    private sealed class CapturingSignals : IObjectSignals
    {
        public ConcurrentDictionary<string, ActivitySpanId> Under { get; } = new();

        public Task SignalChangedAsync(IReadOnlyCollection<ObjectKey> keys, CancellationToken ct)
        {
            foreach (var key in keys) Under[key.Uid] = Activity.Current?.SpanId ?? default;
            return Task.CompletedTask;
        }
    }

    private sealed class NoLookup : IObjectLookup
    {
        public Task<string?> UidAsync(RouteTarget target, CancellationToken ct) => Task.FromResult(target.Uid);

        public Task<IReadOnlyList<(string Name, string Uid)>> MatchingAsync(RouteTarget target, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<(string Name, string Uid)>>([]);
    }
}
