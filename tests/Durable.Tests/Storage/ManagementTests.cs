using Azure.Data.Tables;
using ServerlessCapi.Durable.Tests.Support;

namespace ServerlessCapi.Durable.Tests.Storage;

/// <summary>The management API and partition balancing on Azurite.</summary>
public class ManagementTests
{
    [Fact]
    public async Task Suspend_holds_signals_resume_delivers_them_terminate_ends_and_purge_removes_every_row()
    {
        var hub = EngineHarness.NewHub();
        await using var engine = await EngineHarness.StartAsync(hub, [StorageLifecycleTests.TimerThenSignal(TimeSpan.FromMilliseconds(200))]);
        await engine.Client.StartAsync("Flow", "m/1");
        await WaitFor.ConditionAsync(async () => (await engine.Client.GetStatusAsync("m/1"))?.CustomStatus == "waiting-signal", TimeSpan.FromSeconds(20));

        (await engine.Client.SuspendAsync("m/1", "maintenance")).ShouldBeTrue();
        await engine.Client.RaiseEventAsync("m/1", "ping", "held");
        await WaitFor.ConditionAsync(async () => (await engine.Client.GetStatusAsync("m/1", showHistory: true))!.History!.Any(h => h.Event == "EventsHeld"),
            TimeSpan.FromSeconds(20), "the signal to be held");
        (await engine.StateAsync<CountState>("m/1")).Payloads.ShouldBeEmpty();
        (await engine.Client.GetStatusAsync("m/1"))!.RuntimeStatus.ShouldBe(RuntimeStatus.Suspended);

        (await engine.Client.ResumeAsync("m/1", "done")).ShouldBeTrue();
        await WaitFor.ConditionAsync(async () => (await engine.StateAsync<CountState>("m/1")).Payloads.Count == 1, TimeSpan.FromSeconds(20));
        (await engine.Client.GetStatusAsync("m/1"))!.RuntimeStatus.ShouldBe(RuntimeStatus.Running);

        (await engine.Client.TerminateAsync("m/1", "gone")).ShouldBeTrue();
        (await engine.Client.TerminateAsync("m/1", "gone")).ShouldBeFalse();
        (await engine.Client.SuspendAsync("m/1", "x")).ShouldBeFalse();
        var history = (await engine.Client.GetStatusAsync("m/1", showHistory: true))!.History!;
        history.Select(h => h.Event).ShouldContain("Terminated");
        history[^1].Note.ShouldBe("gone");

        (await engine.Client.PurgeAsync("m/1")).ShouldBeTrue();
        (await engine.Client.PurgeAsync("m/1")).ShouldBeFalse();
        (await engine.Client.GetStatusAsync("m/1")).ShouldBeNull();
        var table = new TableClient(await SharedAzurite.ConnectionStringAsync(), $"{hub}Instances");
        var left = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>()) left++;
        left.ShouldBe(0);
    }

    [Fact]
    public async Task Listing_filters_by_status_prefix_and_creation_time_and_pages_with_continuation_tokens()
    {
        var hub = EngineHarness.NewHub();
        await using var engine = await EngineHarness.StartAsync(hub, [StorageLifecycleTests.TimerThenSignal(TimeSpan.FromHours(1))], startWorker: false);
        var t0 = DateTimeOffset.UtcNow.AddSeconds(-1);
        for (var i = 0; i < 7; i++) await engine.Client.StartAsync("Flow", $"Machine/{i}");
        await engine.Client.StartAsync("Flow", "Cluster/0");
        await engine.Client.TerminateAsync("Machine/3", "x");

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var page = await engine.Client.ListAsync(new InstanceQuery([RuntimeStatus.Pending], "Machine/", t0, DateTimeOffset.UtcNow.AddSeconds(1), 2, token));
            page.Instances.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Instances.Select(s => s.InstanceId));
            token = page.ContinuationToken;
            pages++;
        }
        while (token is not null && pages < 20);
        seen.Order().ShouldBe(["Machine/0", "Machine/1", "Machine/2", "Machine/4", "Machine/5", "Machine/6"]);
        pages.ShouldBeGreaterThan(1);

        (await engine.Client.ListAsync(new InstanceQuery(CreatedFrom: DateTimeOffset.UtcNow.AddMinutes(1)))).Instances.ShouldBeEmpty();
        (await engine.Client.ListAsync(new InstanceQuery([RuntimeStatus.Terminated]))).Instances.Select(s => s.InstanceId).ShouldBe(["Machine/3"]);
    }

    [Fact]
    public async Task Workers_on_one_hub_split_the_partitions_and_take_them_back_when_one_leaves()
    {
        var hub = EngineHarness.NewHub();
        var flow = StorageLifecycleTests.TimerThenSignal();
        Action<DurableWorkflowOptions> four = o => o.PartitionCount = 4;
        await using var first = await EngineHarness.StartAsync(hub, [flow], four);
        await WaitFor.ConditionAsync(() => first.Worker.OwnedPartitions.Count == 4, TimeSpan.FromSeconds(20), "the first worker to own all");
        var second = await EngineHarness.StartAsync(hub, [flow], four);
        try
        {
            await WaitFor.ConditionAsync(() => first.Worker.OwnedPartitions.Count == 2 && second.Worker.OwnedPartitions.Count == 2,
                TimeSpan.FromSeconds(40), "a 2/2 split");
            first.Worker.OwnedPartitions.Intersect(second.Worker.OwnedPartitions).ShouldBeEmpty();
            for (var i = 0; i < 8; i++) await second.Client.StartAsync("Flow", $"f/{i}");
            for (var i = 0; i < 8; i++) await first.WaitForStatusAsync($"f/{i}", RuntimeStatus.Running);
        }
        finally
        {
            await second.DisposeAsync();
        }
        await WaitFor.ConditionAsync(() => first.Worker.OwnedPartitions.Count == 4, TimeSpan.FromSeconds(40), "the first worker to take all back");
    }

    [Fact]
    public async Task The_operation_counter_names_storage_calls_by_service_and_operation()
    {
        var hub = EngineHarness.NewHub();
        var counter = new StorageOperationCounter();
        await using var engine = await EngineHarness.StartAsync(hub, [StorageLifecycleTests.TimerThenSignal()], o => o.OperationCounter = counter);
        counter.Reset();
        await engine.Client.StartAsync("Flow", "c/1");
        await WaitFor.ConditionAsync(async () => (await engine.Client.GetStatusAsync("c/1"))?.CustomStatus == "waiting-signal", TimeSpan.FromSeconds(20));

        var ops = counter.Snapshot();
        ops["table.Batch"].ShouldBeGreaterThanOrEqualTo(3); // create, Started, TimerFired
        ops["queue.Send"].ShouldBeGreaterThanOrEqualTo(1); // start (the timer stays in the process that owns its partition)
        ops["queue.Receive"].ShouldBeGreaterThan(0);
        ops["queue.Delete"].ShouldBeGreaterThanOrEqualTo(1);
        ops["table.Get"].ShouldBeGreaterThan(0);
        // Pollers keep counting in the background, so later readings can only be higher.
        counter.ByService()["queue"].ShouldBeGreaterThanOrEqualTo(ops.Where(kv => kv.Key.StartsWith("queue.", StringComparison.Ordinal)).Sum(kv => kv.Value));
        counter.Total.ShouldBeGreaterThanOrEqualTo(ops.Values.Sum());
    }

    [Theory]
    [InlineData("queue", "POST", "/acct/q-00/messages", "", "Send")]
    [InlineData("queue", "GET", "/acct/q-00/messages", "?numofmessages=32", "Receive")]
    [InlineData("queue", "GET", "/acct/q-00/messages", "?peekonly=true", "Peek")]
    [InlineData("queue", "DELETE", "/acct/q-00/messages/abc", "?popreceipt=x", "Delete")]
    [InlineData("queue", "PUT", "/acct/q-00/messages/abc", "?popreceipt=x", "Update")]
    [InlineData("queue", "PUT", "/acct/q-00", "", "CreateQueue")]
    [InlineData("table", "POST", "/acct/$batch", "", "Batch")]
    [InlineData("table", "GET", "/acct/t()", "?$filter=x", "Query")]
    [InlineData("table", "GET", "/acct/t(PartitionKey='a',RowKey='b')", "", "Get")]
    [InlineData("table", "PUT", "/acct/t(PartitionKey='a',RowKey='b')", "", "Upsert")]
    [InlineData("table", "POST", "/acct/Tables", "", "CreateTable")]
    [InlineData("blob", "PUT", "/acct/c/b", "?comp=lease", "Lease")]
    [InlineData("blob", "PUT", "/acct/c", "?restype=container", "CreateContainer")]
    [InlineData("blob", "GET", "/acct/c/b", "", "Download")]
    public void Requests_are_classified_as_the_storage_api_names_them(string service, string method, string path, string query, string expected) =>
        StorageOperationCounter.Classify(service, method, path, query, _ => null).ShouldBe(expected);
}
