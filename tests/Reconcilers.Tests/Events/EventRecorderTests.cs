using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Reconcilers.Tests.Events;

/// <summary>The recorder against the embedded API server over real HTTP: series aggregation, names shared between
/// processes, the per-object rate limit, and failures that never reach the caller.</summary>
public sealed class EventRecorderTests : IAsyncLifetime
{
    private readonly ManualTime _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private KubeApi _kube = null!;
    private string _ns = "";

    public async Task InitializeAsync()
    {
        var server = await TestApiServer.SharedAsync();
        _kube = KubeApi.FromKubeconfigText(server.KubeconfigYaml());
        _ns = TestNames.Unique("events");
        await _kube.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = _ns } });
    }

    public Task DisposeAsync()
    {
        _kube.Dispose();
        return Task.CompletedTask;
    }

    private EventRecorder Recorder(int burst = 25, string instance = "test-1") =>
        new(_kube, options: new EventRecorderOptions { ReportingInstance = instance, Burst = burst, RefillInterval = TimeSpan.FromMinutes(1) }, time: _time);

    private V1ConfigMap Regarding(string name = "workers") => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = _ns, Uid = $"uid-{name}", ResourceVersion = "7" },
    };

    private Task RecordAsync(EventRecorder recorder, string note, string reason = "SuccessfulCreate", V1ConfigMap? regarding = null) =>
        recorder.RecordAsync(regarding ?? Regarding(), "machineset-controller", EventRecorder.Normal, reason, "Create", note, CancellationToken.None);

    /// <summary>The Events of the namespace as kubectl reads them (core v1).</summary>
    private async Task<List<JsonObject>> CoreEventsAsync()
    {
        var list = await _kube.SendAsync<JsonObject>(HttpMethod.Get, $"/api/v1/namespaces/{_ns}/events", null, null);
        return (list!["items"] as JsonArray)!.OfType<JsonObject>().ToList();
    }

    [Fact]
    public async Task A_first_occurrence_writes_an_events_k8s_io_Event_on_the_object()
    {
        var recorder = Recorder();
        await RecordAsync(recorder, "Created Machine \"m1\"");

        var e = (await CoreEventsAsync()).ShouldHaveSingleItem();
        e["involvedObject"]!["name"]!.GetValue<string>().ShouldBe("workers");
        e["involvedObject"]!["uid"]!.GetValue<string>().ShouldBe("uid-workers");
        e["involvedObject"]!["resourceVersion"]!.GetValue<string>().ShouldBe("7");
        e["involvedObject"]!["kind"]!.GetValue<string>().ShouldBe("ConfigMap");
        e["reason"]!.GetValue<string>().ShouldBe("SuccessfulCreate");
        e["message"]!.GetValue<string>().ShouldBe("Created Machine \"m1\"");
        e["type"]!.GetValue<string>().ShouldBe("Normal");
        e["action"]!.GetValue<string>().ShouldBe("Create");
        e["reportingComponent"]!.GetValue<string>().ShouldBe("machineset-controller");
        e["reportingInstance"]!.GetValue<string>().ShouldBe("test-1");
        e["eventTime"]!.GetValue<string>().ShouldBe("2026-12-01T10:00:00.000000Z");
        e["series"].ShouldBeNull();
        recorder.Counts.ShouldBe(new EventCounts(1, 0, 0, 0));
    }

    [Fact]
    public async Task Repeats_count_into_the_series_of_one_Event()
    {
        var recorder = Recorder();
        await RecordAsync(recorder, "Created Machine \"m1\"");
        _time.Advance(TimeSpan.FromSeconds(5));
        await RecordAsync(recorder, "Created Machine \"m1\"");
        _time.Advance(TimeSpan.FromSeconds(5));
        await RecordAsync(recorder, "Created Machine \"m1\"");
        await RecordAsync(recorder, "Created Machine \"m2\"");

        var events = await CoreEventsAsync();
        events.Count.ShouldBe(2);
        var m1 = events.Single(e => e["message"]!.GetValue<string>().Contains("m1", StringComparison.Ordinal));
        m1["series"]!["count"]!.GetValue<long>().ShouldBe(3);
        m1["series"]!["lastObservedTime"]!.GetValue<string>().ShouldBe("2026-12-01T10:00:10.000000Z");
        events.Single(e => e != m1)["series"].ShouldBeNull();
        recorder.Counts.ShouldBe(new EventCounts(2, 2, 0, 0));
    }

    [Fact]
    public async Task Two_processes_recording_the_same_occurrence_share_one_Event()
    {
        var first = Recorder(instance: "process-a");
        var second = Recorder(instance: "process-b");
        await RecordAsync(first, "Deleted Machine \"m1\"", "SuccessfulDelete");
        await RecordAsync(second, "Deleted Machine \"m1\"", "SuccessfulDelete");
        await RecordAsync(first, "Deleted Machine \"m1\"", "SuccessfulDelete"); // its cached version is stale now

        var e = (await CoreEventsAsync()).ShouldHaveSingleItem();
        e["series"]!["count"]!.GetValue<long>().ShouldBe(3);
        first.Counts.Failed.ShouldBe(0);
        second.Counts.ShouldBe(new EventCounts(0, 1, 0, 0));
    }

    [Fact]
    public async Task The_rate_limit_bounds_Events_per_object_and_reason_and_refills_with_time()
    {
        var recorder = Recorder(burst: 2);
        for (var i = 0; i < 5; i++) await RecordAsync(recorder, $"Created Machine \"m{i}\"");
        (await CoreEventsAsync()).Count.ShouldBe(2);
        recorder.Counts.RateLimited.ShouldBe(3);

        // Another reason, or another object, has its own bucket.
        await RecordAsync(recorder, "Deleted Machine \"m0\"", "SuccessfulDelete");
        await RecordAsync(recorder, "Created Machine \"x\"", regarding: Regarding("other"));
        (await CoreEventsAsync()).Count.ShouldBe(4);

        _time.Advance(TimeSpan.FromMinutes(1));
        await RecordAsync(recorder, "Created Machine \"m5\"");
        await RecordAsync(recorder, "Created Machine \"m6\"");
        (await CoreEventsAsync()).Count.ShouldBe(5);
        recorder.Counts.RateLimited.ShouldBe(4);
    }

    [Fact]
    public async Task An_Event_deleted_meanwhile_is_recorded_anew()
    {
        var recorder = Recorder();
        await RecordAsync(recorder, "Created Machine \"m1\"");
        var name = (await CoreEventsAsync()).Single()["metadata"]!["name"]!.GetValue<string>();
        await _kube.SendAsync<JsonObject>(HttpMethod.Delete, $"/apis/events.k8s.io/v1/namespaces/{_ns}/events/{name}", null, null);

        await RecordAsync(recorder, "Created Machine \"m1\"");
        var e = (await CoreEventsAsync()).ShouldHaveSingleItem();
        e["series"].ShouldBeNull();
        recorder.Counts.ShouldBe(new EventCounts(2, 0, 0, 0));
    }

    [Fact]
    public async Task A_failed_write_is_counted_and_never_thrown()
    {
        var recorder = Recorder();
        var nowhere = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = "x", NamespaceProperty = TestNames.Unique("missing"), Uid = "u" },
        };
        await RecordAsync(recorder, "note", regarding: nowhere); // its namespace does not exist: 404

        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await recorder.RecordAsync(Regarding(), "machineset-controller", EventRecorder.Warning, "FailedCreate", "Create", "boom", cancelled.Token);

        recorder.Counts.ShouldBe(new EventCounts(0, 0, 0, 2));
        (await CoreEventsAsync()).ShouldBeEmpty();
    }
}
