using ServerlessCapi.Durable.Engine;
using ServerlessCapi.Durable.Tests.Support;

namespace ServerlessCapi.Durable.Tests.Storage;

/// <summary>What a worker delivers to itself: timers of its partitions fire in process, and a "look again" signal is
/// not queued twice, on Azurite with the real worker.</summary>
public class LocalDeliveryTests
{
    [Fact]
    public async Task A_timer_of_an_owned_partition_fires_in_process_without_a_queue_message()
    {
        var counter = new StorageOperationCounter();
        await using var engine = await EngineHarness.StartAsync(EngineHarness.NewHub(), [StorageLifecycleTests.TimerThenSignal(TimeSpan.FromSeconds(1))],
            o => o.OperationCounter = counter);
        await OwnAllAsync(engine);
        counter.Reset();

        await engine.Client.StartAsync("Flow", "t/1");
        await WaitFor.ConditionAsync(async () => (await engine.Client.GetStatusAsync("t/1"))?.CustomStatus == "waiting-signal",
            TimeSpan.FromSeconds(20), "the timer to fire");

        (await engine.StateAsync<CountState>("t/1")).Timers.ShouldBe(1);
        counter.Snapshot()["queue.Send"].ShouldBe(1, "only the start message is queued; the timer stayed in the process");
        engine.Backend.Local.ScheduledTimers.ShouldBe(0);
    }

    [Fact]
    public async Task A_timer_kept_by_a_worker_that_stops_goes_to_the_queue_and_another_worker_fires_it()
    {
        var hub = EngineHarness.NewHub();
        var flow = StorageLifecycleTests.TimerThenSignal(TimeSpan.FromSeconds(3));
        var first = await EngineHarness.StartAsync(hub, [flow], workerId: "first");
        await OwnAllAsync(first);
        await first.Client.StartAsync("Flow", "t/2");
        await WaitFor.ConditionAsync(() => Task.FromResult(first.Backend.Local.ScheduledTimers == 1), TimeSpan.FromSeconds(20),
            "the first worker to keep the timer");
        await first.DisposeAsync();

        await using var second = await EngineHarness.StartAsync(hub, [flow], workerId: "second");
        var status = await second.WaitForStatusAsync("t/2", RuntimeStatus.Running);
        await WaitFor.ConditionAsync(async () => (await second.Client.GetStatusAsync("t/2"))?.CustomStatus == "waiting-signal",
            TimeSpan.FromSeconds(30), $"the timer to fire on the second worker (was {status.CustomStatus})");
        (await second.StateAsync<CountState>("t/2")).Timers.ShouldBe(1);
    }

    [Fact]
    public async Task Look_again_signals_queued_behind_one_not_yet_begun_are_not_sent_and_the_step_that_runs_sees_the_latest_state()
    {
        var world = new World();
        await using var engine = await StartOwningAllAsync(world);

        // A step that holds the instance: signals after it wait for it, unbegun.
        await engine.Client.RaiseEventsAsync([world.Look("o/1", "s0", block: true)]);
        await world.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        for (var v = 1; v <= 10; v++)
        {
            world.Version = v;
            await engine.Client.RaiseEventsAsync([world.Look("o/1", $"s{v}")]);
        }
        world.Coalesced.ShouldBe(9, "s2..s10 found s1 queued and not begun");
        world.Release.SetResult();

        await WaitFor.ConditionAsync(async () => (await engine.StateAsync<CountState>("o/1")).Payloads.LastOrDefault() == "10",
            TimeSpan.FromSeconds(20), "a step to see version 10");
        var seen = (await engine.StateAsync<CountState>("o/1")).Payloads;
        seen.ShouldBe(["0", "10"], "one step for s0, one for s1..s10, which began after the last change");
    }

    [Fact]
    public async Task A_signal_left_out_behind_a_duplicate_is_sent_after_all_when_the_duplicate_runs_nothing()
    {
        var world = new World();
        await using var engine = await StartOwningAllAsync(world);
        await engine.Client.RaiseEventsAsync([world.Look("o/2", "a")]);
        await WaitFor.ConditionAsync(async () => (await engine.StateAsync<CountState>("o/2")).Payloads.Count == 1,
            TimeSpan.FromSeconds(20), "a to run");

        await engine.Client.RaiseEventsAsync([world.Look("o/2", "g", block: true)]);
        await world.Entered.Task.WaitAsync(TimeSpan.FromSeconds(20));
        // "a" again (a redelivered event: its step will run nothing), then a real change, left out behind it.
        await engine.Client.RaiseEventsAsync([world.Look("o/2", "a")]);
        world.Version = 5;
        await engine.Client.RaiseEventsAsync([world.Look("o/2", "b")]);
        world.Coalesced.ShouldBe(1);
        world.Release.SetResult();

        await WaitFor.ConditionAsync(async () => (await engine.StateAsync<CountState>("o/2")).Payloads.LastOrDefault() == "5",
            TimeSpan.FromSeconds(20), "a step to see version 5");
        (await engine.StateAsync<CountState>("o/2")).Payloads.ShouldBe(["0", "0", "5"]);
    }

    [Fact]
    public void A_level_triggered_step_runs_once_for_the_events_it_is_given()
    {
        WorkflowEvent E(WorkflowEventKind kind, string? payload, string id) => new(kind, kind == WorkflowEventKind.Signal ? "x" : null, payload, id);
        var run = new List<WorkflowEvent>
        {
            E(WorkflowEventKind.Started, null, "st"), E(WorkflowEventKind.Signal, "k1", "1"), E(WorkflowEventKind.TimerFired, null, "t"),
            E(WorkflowEventKind.Signal, "k2", "2"), E(WorkflowEventKind.Signal, null, "3"),
        };
        StepPlanner.Collapse(run).Select(e => e.MessageId).ShouldBe(["st", "2"]);
        StepPlanner.Collapse([E(WorkflowEventKind.TimerFired, null, "t"), E(WorkflowEventKind.Signal, null, "4")]).Select(e => e.MessageId).ShouldBe(["4"]);
        StepPlanner.Collapse([E(WorkflowEventKind.Started, null, "st"), E(WorkflowEventKind.Signal, "k", "5")]).Count.ShouldBe(2);
    }

    private static Task OwnAllAsync(EngineHarness engine) =>
        WaitFor.ConditionAsync(() => Task.FromResult(engine.Worker.OwnedPartitions.Count == engine.Options.PartitionCount),
            TimeSpan.FromSeconds(30), "the worker to own every partition");

    /// <summary>An engine running the world's workflow, counting coalesced signals, once its worker owns every partition.</summary>
    private static async Task<EngineHarness> StartOwningAllAsync(World world)
    {
        var engine = await EngineHarness.StartAsync(EngineHarness.NewHub(), [world.Workflow], o => o.OnSignalCoalesced = _ => world.CountCoalesced());
        await OwnAllAsync(engine);
        return engine;
    }

    /// <summary>An observed world with a version, and a level-triggered workflow that records the version each step
    /// saw when it began (and can be held inside a step).</summary>
    private sealed class World
    {
        private int _coalesced;

        public int Version { get; set; }
        public int Coalesced => Volatile.Read(ref _coalesced);
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public LookWorkflow Workflow { get; }

        public World() => Workflow = new LookWorkflow(this);

        public void CountCoalesced() => Interlocked.Increment(ref _coalesced);

        public EventRequest Look(string instanceId, string id, bool block = false) =>
            new(instanceId, "look", block ? "block" : "look", $"{instanceId}|{id}", "Look", Coalesce: true);
    }

    private sealed class LookWorkflow(World world) : Workflow<CountState>
    {
        public override string Name => "Look";
        public override bool LevelTriggered => true;

        public override async Task<StepResult<CountState>> RunAsync(WorkflowContext<CountState> context, WorkflowEvent e, CancellationToken ct)
        {
            if (e.Kind == WorkflowEventKind.Started) return StepResult<CountState>.Continue(context.State, Wait.ForSignal);
            context.State.Payloads.Add(world.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (e.Payload == "block")
            {
                world.Entered.TrySetResult();
                await world.Release.Task.WaitAsync(ct);
            }
            return StepResult<CountState>.Continue(context.State, Wait.ForSignal);
        }
    }
}
