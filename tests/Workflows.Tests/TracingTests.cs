using System.Collections.Concurrent;
using System.Diagnostics;
using ServerlessCapi.Telemetry;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>Spans listened to process-wide: these tests run alone, so no other test's entities make spans here.</summary>
[CollectionDefinition(nameof(TracingCollection), DisableParallelization = true)]
public sealed class TracingCollection;

/// <summary>Trace context through the durable side, on a real TaskHubWorker over Azurite: a signal's context rides in
/// its payload into the reconcile, a reconcile's wakes carry its context to the objects they wake, and a scheduled
/// requeue starts a new trace linked to the reconcile that scheduled it.</summary>
[Collection(nameof(TracingCollection))]
public sealed class TracingTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private const string TestSource = "ServerlessCapi.Workflows.Tests";
    private static readonly ActivitySource Test = new(TestSource);

    private readonly ActivityListener listener;
    private readonly ConcurrentQueue<Activity> stopped = new();

    public TracingTests()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == ProductTelemetry.Name || s.Name == TestSource,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
    }

    public void Dispose() => listener.Dispose();

    [Fact]
    public async Task A_signal_s_context_reaches_the_reconcile_and_its_wakes_carry_the_reconcile_s_context()
    {
        var owner = Hubs.Key("traced-owner");
        var woken = Hubs.Key("traced-woken");
        var reconcile = new RecordingReconcile
        {
            Script = (key, _) => Task.FromResult(key == owner ? ReconcileOutcome.Done with { Wakes = [woken] } : ReconcileOutcome.Done),
        };
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);

        using (var cause = Test.StartActivity("cause"))
        {
            await host.Client.SignalChangedAsync(owner);
        }
        var root = stopped.Single(a => a.DisplayName == "cause");

        var ownerRun = await WaitFor.ValueAsync(() => Task.FromResult(Reconcile(owner)), Timeout, "the owner's reconcile span");
        var signal = stopped.Single(a => a.DisplayName == ProductTelemetry.Spans.Signal && Is(a, owner));
        signal.TraceId.ShouldBe(root.TraceId);
        signal.ParentSpanId.ShouldBe(root.SpanId);
        signal.Kind.ShouldBe(ActivityKind.Producer);
        ownerRun.TraceId.ShouldBe(root.TraceId, "the reconcile continues the trace the signal's payload carried");
        ownerRun.ParentSpanId.ShouldBe(signal.SpanId);
        ownerRun.GetTagItem(ProductTelemetry.Attributes.Name).ShouldBe(owner.Name);
        ownerRun.GetTagItem(ProductTelemetry.Attributes.Namespace).ShouldBe(owner.Namespace);
        ownerRun.GetTagItem(ProductTelemetry.Attributes.Outcome).ShouldBe("done");
        ownerRun.GetTagItem(ProductTelemetry.Attributes.Scheduled).ShouldBe(false);

        var wokenRun = await WaitFor.ValueAsync(() => Task.FromResult(Reconcile(woken)), Timeout, "the woken object's reconcile span");
        var wake = stopped.Single(a => a.DisplayName == ProductTelemetry.Spans.Signal && Is(a, woken));
        wake.ParentSpanId.ShouldBe(ownerRun.SpanId, "the wake was sent by the owner's reconcile");
        wokenRun.TraceId.ShouldBe(root.TraceId);
        wokenRun.ParentSpanId.ShouldBe(wake.SpanId);
    }

    [Fact]
    public async Task A_scheduled_requeue_starts_a_new_trace_linked_to_the_reconcile_that_scheduled_it()
    {
        var key = Hubs.Key("traced-requeue");
        var reconcile = new RecordingReconcile
        {
            Script = (_, call) => Task.FromResult(call == 1 ? ReconcileOutcome.RequeueAfter(TimeSpan.FromMilliseconds(300)) : ReconcileOutcome.Done),
        };
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);

        using (Test.StartActivity("cause"))
        {
            await host.Client.SignalChangedAsync(key);
        }
        await WaitFor.ConditionAsync(() => Reconciles(key).Count == 2, Timeout, "the change's reconcile and the requeue's");

        var (first, second) = (Reconciles(key)[0], Reconciles(key)[1]);
        first.GetTagItem(ProductTelemetry.Attributes.Outcome).ShouldBe("requeue");
        second.GetTagItem(ProductTelemetry.Attributes.Scheduled).ShouldBe(true);
        second.TraceId.ShouldNotBe(first.TraceId);
        second.ParentSpanId.ShouldBe(default);
        second.Links.Select(l => (l.Context.TraceId, l.Context.SpanId)).ShouldBe([(first.TraceId, first.SpanId)]);
        // The entity keeps the last reconcile's context once that batch commits (just after its span ends).
        await WaitFor.ConditionAsync(async () => (await host.Client.GetStateAsync(key))?.TraceParent == TraceParent.Format(second.Context),
            Timeout, "the entity's state keeping the last reconcile's trace context");
    }

    private Activity? Reconcile(ObjectKey key) => Reconciles(key).FirstOrDefault();

    private List<Activity> Reconciles(ObjectKey key) =>
        [.. stopped.Where(a => a.DisplayName == ProductTelemetry.Spans.Reconcile && Is(a, key)).OrderBy(a => a.StartTimeUtc)];

    private static bool Is(Activity span, ObjectKey key) =>
        (string?)span.GetTagItem(ProductTelemetry.Attributes.Uid) == key.Uid;
}
