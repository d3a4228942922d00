using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Durable.Engine;
using ServerlessCapi.Durable.Tests.Support;

namespace ServerlessCapi.Durable.Tests.Storage;

/// <summary>Duplicates, races, lost and stale messages on Azurite.</summary>
public class DeliveryTests
{
    private static DelegateWorkflow<CountState> Collector() => new("Collector", (ctx, e) =>
    {
        if (e.Kind == WorkflowEventKind.Signal) ctx.State.Payloads.Add(e.Payload!);
        if (e.Kind == WorkflowEventKind.TimerFired) ctx.State.Timers++;
        return StepResult<CountState>.Continue(ctx.State, Wait.ForSignal);
    });

    [Fact]
    public async Task Duplicate_queue_messages_and_repeated_event_ids_are_applied_once()
    {
        var hub = EngineHarness.NewHub();
        await using var engine = await EngineHarness.StartAsync(hub, [Collector()]);
        await engine.Client.StartAsync("Collector", "c/1");
        var raw = new ControlMessage { Id = "dup-raw", InstanceId = "c/1", Kind = ControlMessageKind.Signal, Name = "hit", Payload = "raw" };
        var queue = engine.Backend.ControlQueues[InstanceIds.PartitionOf("c/1", engine.Options.PartitionCount)];
        for (var i = 0; i < 3; i++) await queue.SendMessageAsync(raw.Serialize());
        for (var i = 0; i < 3; i++) await engine.Client.RaiseEventAsync("c/1", "hit", "api", messageId: "dup-api");
        await engine.Client.RaiseEventAsync("c/1", "hit", "other");

        await WaitFor.ConditionAsync(async () => (await engine.StateAsync<CountState>("c/1")).Payloads.Count >= 3, TimeSpan.FromSeconds(20));
        await WaitForDrainedAsync(queue);
        (await engine.StateAsync<CountState>("c/1")).Payloads.Order().ShouldBe(["api", "other", "raw"]);
    }

    [Fact]
    public async Task Events_raised_together_travel_bundled_per_partition_and_a_redelivered_bundle_is_applied_once()
    {
        var hub = EngineHarness.NewHub();
        var events = Enumerable.Range(0, 40)
            .SelectMany(i => new[]
            {
                new EventRequest($"c/{i}", "hit", $"a{i}", $"a|{i}", "Collector"),
                new EventRequest($"c/{i}", "hit", $"b{i}", $"b|{i}", "Collector"),
            })
            .ToList();
        string[] bundles;
        await using (var sender = await EngineHarness.StartAsync(hub, [Collector()], startWorker: false))
        {
            await sender.Client.RaiseEventsAsync(events);
            var peeked = new List<string>();
            foreach (var queue in sender.Backend.ControlQueues)
                peeked.AddRange((await queue.PeekMessagesAsync(32)).Value.Select(m => m.MessageText));
            bundles = [.. peeked];
            // 80 events for 40 instances on 2 partitions: two queue messages of up to 64 events each way.
            bundles.Length.ShouldBeLessThanOrEqualTo(4);
            // A redelivery of a whole bundle, as after a crash between its steps' commits and its deletion.
            var first = sender.Backend.ControlQueues.First(q => q.GetProperties().Value.ApproximateMessagesCount > 0);
            await first.SendMessageAsync((await first.PeekMessageAsync()).Value.MessageText);
        }

        await using var engine = await EngineHarness.StartAsync(hub, [Collector()]);
        await WaitFor.ConditionAsync(async () =>
        {
            foreach (var i in new[] { 0, 17, 39 })
                if ((await engine.Client.GetStatusAsync($"c/{i}")) is null) return false;
            return true;
        }, TimeSpan.FromSeconds(30), "the instances to start");
        foreach (var queue in engine.Backend.ControlQueues) await WaitForDrainedAsync(queue);
        for (var i = 0; i < 40; i++)
            (await engine.StateAsync<CountState>($"c/{i}")).Payloads.Order().ShouldBe([$"a{i}", $"b{i}"]);
    }

    [Fact]
    public async Task An_instance_row_from_before_the_dedup_memory_moved_into_it_still_recognises_its_old_message_ids()
    {
        var hub = EngineHarness.NewHub();
        await using var engine = await EngineHarness.StartAsync(hub, [Collector()]);
        await engine.Client.StartAsync("Collector", "c/1");
        await engine.Client.RaiseEventAsync("c/1", "hit", "first", messageId: "old-1");
        await WaitFor.ConditionAsync(async () => (await engine.StateAsync<CountState>("c/1")).Payloads.Count == 1, TimeSpan.FromSeconds(20));

        // Rewrite the row in the older layout: no dedup memory in it, one dedup row beside it.
        var table = new TableClient(await SharedAzurite.ConnectionStringAsync(), $"{hub}Instances");
        var row = (await table.GetEntityAsync<TableEntity>("c%2F1", "instance")).Value;
        row.Remove("DedupInRow");
        row.Remove("Dedup");
        await table.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);
        await table.AddEntityAsync(new TableEntity("c%2F1", "msg:0000000000000000002") { ["At"] = DateTimeOffset.UtcNow, ["Ids"] = "[\"old-1\"]" });
        await using var fresh = await EngineHarness.StartAsync(hub, [Collector()]);

        await fresh.Client.RaiseEventAsync("c/1", "hit", "again", messageId: "old-1");
        await fresh.Client.RaiseEventAsync("c/1", "hit", "second", messageId: "new-1");
        await WaitFor.ConditionAsync(async () => (await fresh.StateAsync<CountState>("c/1")).Payloads.Count >= 2, TimeSpan.FromSeconds(20));
        foreach (var queue in fresh.Backend.ControlQueues) await WaitForDrainedAsync(queue);
        (await fresh.StateAsync<CountState>("c/1")).Payloads.ShouldBe(["first", "second"]);
    }

    [Fact]
    public async Task Two_processes_racing_on_one_instance_apply_every_signal_exactly_once()
    {
        var hub = EngineHarness.NewHub();
        var collector = Collector();
        await using var a = await EngineHarness.StartAsync(hub, [collector], startWorker: false);
        await using var b = await EngineHarness.StartAsync(hub, [collector], startWorker: false);
        await a.Client.StartAsync("Collector", "hot");
        var start = new ControlMessage { Id = ControlMessage.StartId("hot"), InstanceId = "hot", Kind = ControlMessageKind.Start };
        await a.Backend.Processor.ProcessAsync("hot", [start], CancellationToken.None);

        // Both "processes" get every message (as after a visibility timeout), in opposite orders and concurrently;
        // each also keeps its own cache of the row, so stale ETags are common.
        var messages = Enumerable.Range(0, 30)
            .Select(i => new ControlMessage { Id = $"s{i}", InstanceId = "hot", Kind = ControlMessageKind.Signal, Name = "hit", Payload = $"p{i}" })
            .ToList();
        var runA = Task.Run(async () =>
        {
            foreach (var m in messages) await a.Backend.Processor.ProcessAsync("hot", [m], CancellationToken.None);
        });
        var runB = Task.Run(async () =>
        {
            foreach (var batch in Enumerable.Reverse(messages).Chunk(3)) await b.Backend.Processor.ProcessAsync("hot", batch, CancellationToken.None);
        });
        await Task.WhenAll(runA, runB);

        var payloads = (await a.StateAsync<CountState>("hot")).Payloads;
        payloads.Order().ShouldBe(messages.Select(m => m.Payload!).Order());
        collector.Runs.ShouldBeGreaterThanOrEqualTo(31);
    }

    [Fact]
    public async Task Outbox_messages_left_behind_by_a_crash_after_commit_are_sent_by_the_sweeper()
    {
        var hub = EngineHarness.NewHub();
        var parent = new DelegateWorkflow<CountState>("Parent", (ctx, e) =>
        {
            if (e.Kind == WorkflowEventKind.Started) ctx.SendSignal("child", "hello", "from-parent", startWorkflow: "Collector");
            return StepResult<CountState>.Continue(ctx.State, Wait.ForSignal);
        });
        await using (var crashed = await EngineHarness.StartAsync(hub, [parent, Collector()], startWorker: false))
        {
            await crashed.Client.StartAsync("Parent", "parent");
            var sender = new FaultySender(crashed.Backend.Sender) { Fail = m => m.Kind == ControlMessageKind.Signal };
            var processor = new InstanceProcessor(crashed.Backend.Store, sender, crashed.Services.GetRequiredService<WorkflowRegistry>(),
                crashed.Options, NullLogger.Instance);
            var start = new ControlMessage { Id = ControlMessage.StartId("parent"), InstanceId = "parent", Kind = ControlMessageKind.Start };
            await Should.ThrowAsync<IOException>(() => processor.ProcessAsync("parent", [start], CancellationToken.None));
            (await crashed.Client.GetStatusAsync("parent"))!.RuntimeStatus.ShouldBe(RuntimeStatus.Running);
            (await OutboxRowsAsync(hub)).ShouldBe(1);
        }

        await using var recovered = await EngineHarness.StartAsync(hub, [parent, Collector()]);
        await WaitFor.ConditionAsync(async () => (await recovered.Client.GetStatusAsync("child")) is not null, TimeSpan.FromSeconds(30), "the child to start");
        await WaitFor.ConditionAsync(async () => await OutboxRowsAsync(hub) == 0, TimeSpan.FromSeconds(10), "the outbox row to go");
        (await recovered.StateAsync<CountState>("child")).Payloads.ShouldBe(["from-parent"]);
    }

    [Fact]
    public async Task A_lost_timer_message_still_fires_through_the_sweeper()
    {
        var hub = EngineHarness.NewHub();
        var flow = StorageLifecycleTests.TimerThenSignal(TimeSpan.FromMilliseconds(300));
        await using (var crashed = await EngineHarness.StartAsync(hub, [flow], startWorker: false))
        {
            await crashed.Client.StartAsync("Flow", "t/1");
            var sender = new FaultySender(crashed.Backend.Sender) { Drop = m => m.Kind == ControlMessageKind.Timer };
            var processor = new InstanceProcessor(crashed.Backend.Store, sender, crashed.Services.GetRequiredService<WorkflowRegistry>(),
                crashed.Options, NullLogger.Instance);
            var start = new ControlMessage { Id = ControlMessage.StartId("t/1"), InstanceId = "t/1", Kind = ControlMessageKind.Start };
            await processor.ProcessAsync("t/1", [start], CancellationToken.None);
            sender.Sent.ShouldContain(s => s.Message.Kind == ControlMessageKind.Timer);
        }

        await using var recovered = await EngineHarness.StartAsync(hub, [flow]);
        await WaitFor.ConditionAsync(async () => (await recovered.Client.GetStatusAsync("t/1"))?.CustomStatus == "waiting-signal",
            TimeSpan.FromSeconds(30), "the overdue timer to fire");
        (await recovered.StateAsync<CountState>("t/1")).Timers.ShouldBe(1);
    }

    [Fact]
    public async Task A_deadline_late_only_because_every_step_slot_is_busy_is_left_to_its_timer_in_this_process()
    {
        var hub = EngineHarness.NewHub();
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        var blocker = new DelegateWorkflow<CountState>("Blocker", (ctx, e) =>
        {
            if (e.Kind == WorkflowEventKind.Signal)
            {
                entered.Set();
                release.Wait(TimeSpan.FromSeconds(60));
            }
            return StepResult<CountState>.Continue(ctx.State, Wait.ForSignal);
        });
        // Long enough for the blocker's step to take the only slot before the deadline, even on a busy machine.
        var flow = StorageLifecycleTests.TimerThenSignal(TimeSpan.FromSeconds(5));
        await using var engine = await EngineHarness.StartAsync(hub, [flow, blocker], o =>
        {
            o.MaxConcurrentSteps = 1;
            o.SweepInterval = TimeSpan.FromHours(1);
        });
        await engine.Client.StartAsync("Flow", "t/held");
        await WaitFor.ConditionAsync(async () => (await engine.Client.GetStatusAsync("t/held"))?.CustomStatus == "waiting-timer",
            TimeSpan.FromSeconds(20), "the timer to be armed");
        var due = (await engine.Client.GetStatusAsync("t/held"))!.NextTimerAt!.Value;
        await engine.Client.RaiseEventAsync("b/1", "block", startWorkflow: "Blocker");
        entered.Wait(TimeSpan.FromSeconds(20)).ShouldBeTrue();
        (await engine.Client.GetStatusAsync("t/held"))!.CustomStatus.ShouldBe("waiting-timer", "the slot was taken before the deadline");
        await WaitFor.ConditionAsync(() => Task.FromResult(DateTimeOffset.UtcNow - due > engine.Options.SweepGrace + TimeSpan.FromSeconds(1)),
            TimeSpan.FromSeconds(20), "the deadline to be overdue");

        // The only step slot is taken: the timer waits in this process, and the sweeper does not send it again.
        (await engine.Worker.SweepOnceAsync()).ShouldBe(0);
        release.Set();
        await WaitFor.ConditionAsync(async () => (await engine.Client.GetStatusAsync("t/held"))?.CustomStatus == "waiting-signal",
            TimeSpan.FromSeconds(20), "the held timer to fire");
        (await engine.StateAsync<CountState>("t/held")).Timers.ShouldBe(1);
        foreach (var queue in engine.Backend.ControlQueues) await WaitForDrainedAsync(queue);
    }

    [Fact]
    public async Task Stale_timer_messages_are_ignored_and_early_ones_are_rearmed_for_their_deadline()
    {
        var hub = EngineHarness.NewHub();
        var flow = StorageLifecycleTests.TimerThenSignal(TimeSpan.FromDays(30));
        await using var engine = await EngineHarness.StartAsync(hub, [flow], startWorker: false);
        await engine.Client.StartAsync("Flow", "t/2");
        var sender = new FaultySender(engine.Backend.Sender);
        var processor = new InstanceProcessor(engine.Backend.Store, sender, engine.Services.GetRequiredService<WorkflowRegistry>(),
            engine.Options, NullLogger.Instance);
        await processor.ProcessAsync("t/2", [new ControlMessage { Id = "s", InstanceId = "t/2", Kind = ControlMessageKind.Start }], CancellationToken.None);
        var armed = sender.Sent.Single(s => s.Message.Kind == ControlMessageKind.Timer);
        armed.Delay.ShouldBeLessThanOrEqualTo(TimeSpan.FromDays(7)); // the queue's limit; re-armed on arrival
        var before = (await engine.Client.GetStatusAsync("t/2"))!;

        var stale = armed.Message with { Generation = armed.Message.Generation - 1, DueAt = DateTimeOffset.UtcNow };
        await processor.ProcessAsync("t/2", [stale], CancellationToken.None);
        // The capped message arrives after 7 days, long before its 30-day deadline.
        await processor.ProcessAsync("t/2", [armed.Message], CancellationToken.None);

        var after = (await engine.Client.GetStatusAsync("t/2"))!;
        after.LastUpdatedAt.ShouldBe(before.LastUpdatedAt);
        after.NextTimerAt.ShouldBe(before.NextTimerAt);
        (await engine.StateAsync<CountState>("t/2")).Timers.ShouldBe(0);
        var rearmed = sender.Sent.Where(s => s.Message.Kind == ControlMessageKind.Timer).ToList();
        rearmed.Count.ShouldBe(2);
        rearmed[1].Message.Generation.ShouldBe(armed.Message.Generation);
        rearmed[1].Delay.ShouldBeGreaterThan(TimeSpan.FromDays(6));
    }

    internal static async Task WaitForDrainedAsync(QueueClient queue) =>
        await WaitFor.ConditionAsync(async () => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount == 0,
            TimeSpan.FromSeconds(20), "the control queue to drain");

    private static async Task<int> OutboxRowsAsync(string hub)
    {
        var table = new TableClient(await SharedAzurite.ConnectionStringAsync(), $"{hub}Instances");
        var n = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"RowKey ge {"outbox:"} and RowKey lt {"outbox;"}"))) n++;
        return n;
    }
}
