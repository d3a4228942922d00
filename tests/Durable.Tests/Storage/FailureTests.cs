using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using ServerlessCapi.Durable.Engine;
using ServerlessCapi.Durable.Tests.Support;

namespace ServerlessCapi.Durable.Tests.Storage;

/// <summary>Failing steps, poison messages, large payloads and long steps on Azurite.</summary>
public class FailureTests
{
    [Fact]
    public async Task Messages_that_keep_failing_go_to_the_poison_queue_and_the_instance_records_it_until_it_fails()
    {
        var hub = EngineHarness.NewHub();
        var known = new DelegateWorkflow<CountState>("Known", (ctx, _) => StepResult<CountState>.Complete(ctx.State));
        await using var engine = await EngineHarness.StartAsync(hub, [known], o =>
        {
            o.MaxDequeueCount = 2;
            o.MaxStepAttempts = 2;
        });
        // This process has no workflow of that name (a deployment mismatch): its messages cannot be processed.
        await engine.Client.StartAsync("NotDeployedHere", "x/1");
        await engine.Backend.ControlQueues[0].SendMessageAsync("this is not a control message");

        var poison = engine.Backend.PoisonQueue;
        var failed = await engine.WaitForStatusAsync("x/1", RuntimeStatus.Failed, TimeSpan.FromSeconds(60));
        failed.FailedAttempts.ShouldBe(2);
        failed.LastError!.ShouldContain("poison queue");
        var history = (await engine.Client.GetStatusAsync("x/1", showHistory: true))!.History!;
        history.Count(h => h.Event == "MessagePoisoned").ShouldBe(2);

        var texts = await PeekAllAsync(poison);
        texts.ShouldContain("this is not a control message");
        texts.Count(t => t.Contains("x/1", StringComparison.Ordinal)).ShouldBe(2);
    }

    [Fact]
    public async Task A_failing_step_retries_with_backoff_then_succeeds_and_a_hopeless_one_fails_the_instance()
    {
        var hub = EngineHarness.NewHub();
        var attempts = new System.Collections.Concurrent.ConcurrentDictionary<string, int>();
        var flaky = new DelegateWorkflow<CountState>("Flaky", (ctx, e) =>
        {
            var n = attempts.AddOrUpdate(ctx.InstanceId, 1, (_, v) => v + 1);
            if (ctx.InstanceId == "hopeless" || n <= 2) throw new InvalidOperationException($"attempt {n} failed");
            ctx.State.Steps = n;
            return StepResult<CountState>.Complete(ctx.State);
        });
        await using var engine = await EngineHarness.StartAsync(hub, [flaky], o => o.MaxStepAttempts = 3);
        await engine.Client.StartAsync("Flaky", "eventually");
        await engine.Client.StartAsync("Flaky", "hopeless");

        var ok = await engine.WaitForStatusAsync("eventually", RuntimeStatus.Completed);
        ok.FailedAttempts.ShouldBe(0);
        (await engine.StateAsync<CountState>("eventually")).Steps.ShouldBe(3);
        var history = (await engine.Client.GetStatusAsync("eventually", showHistory: true))!.History!;
        history.Select(h => h.Event).ShouldBe(["Created", "StepFailed", "StepFailed", "Started"]);
        history[2].Note!.ShouldContain("attempt 2");

        var failed = await engine.WaitForStatusAsync("hopeless", RuntimeStatus.Failed);
        failed.FailedAttempts.ShouldBe(3);
        failed.LastError.ShouldBe("InvalidOperationException: attempt 3 failed");
    }

    [Fact]
    public async Task Payloads_and_state_larger_than_queue_and_property_limits_round_trip()
    {
        var hub = EngineHarness.NewHub();
        var keeper = new DelegateWorkflow<CountState>("Keeper", (ctx, e) =>
        {
            if (e.Kind == WorkflowEventKind.Signal) ctx.State.Payloads.Add(e.Payload!);
            return StepResult<CountState>.Continue(ctx.State, Wait.ForSignal, customStatus: new string('s', 70_000));
        });
        await using var engine = await EngineHarness.StartAsync(hub, [keeper]);
        await engine.Client.StartAsync("Keeper", "big");
        var payload = "\"" + string.Concat(Enumerable.Range(0, 12_000).Select(i => i.ToString("D8", System.Globalization.CultureInfo.InvariantCulture))) + "\"";
        payload.Length.ShouldBeGreaterThan(QueueControlSenderLimit);
        await engine.Client.RaiseEventAsync("big", "blob", payload);
        await engine.Client.RaiseEventAsync("big", "blob", payload + " ");

        await WaitFor.ConditionAsync(async () => (await engine.StateAsync<CountState>("big")).Payloads.Count == 2, TimeSpan.FromSeconds(30));
        var status = (await engine.Client.GetStatusAsync("big"))!;
        status.CustomStatus!.Length.ShouldBe(70_000);
        var state = await engine.StateAsync<CountState>("big");
        state.Payloads.ShouldBe([payload, payload + " "]);
        status.State!.Length.ShouldBeGreaterThan(190_000);

        var container = new BlobContainerClient(await SharedAzurite.ConnectionStringAsync(), $"{hub}-payloads");
        await WaitFor.ConditionAsync(async () =>
        {
            await foreach (var _ in container.GetBlobsAsync()) return false;
            return true;
        }, TimeSpan.FromSeconds(10), "payload blobs to be cleaned up");
    }

    [Fact]
    public async Task A_step_longer_than_the_visibility_timeout_keeps_its_message_hidden_and_runs_once()
    {
        var hub = EngineHarness.NewHub();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slow = new SlowWorkflow(started, finished, TimeSpan.FromSeconds(4));
        await using var engine = await EngineHarness.StartAsync(hub, [slow], o =>
        {
            o.PartitionCount = 1;
            o.VisibilityTimeout = TimeSpan.FromSeconds(2);
            // The sweeper would rightly nudge the still-Pending instance; keep the queue to the one message.
            o.SweepInterval = TimeSpan.FromHours(1);
        });
        await engine.Client.StartAsync("Slow", "slow/1");
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));

        var queue = engine.Backend.ControlQueues[0];
        var peeks = 0;
        while (!finished.Task.IsCompleted)
        {
            var visible = (await queue.PeekMessagesAsync(32)).Value;
            visible.Select(m => m.MessageText).ShouldBeEmpty("the message of a running step must stay hidden");
            peeks++;
        }
        peeks.ShouldBeGreaterThan(0);
        await engine.WaitForStatusAsync("slow/1", RuntimeStatus.Completed);
        slow.Runs.ShouldBe(1);
    }

    private const int QueueControlSenderLimit = 48 * 1024;

    private static async Task<List<string>> PeekAllAsync(QueueClient queue) =>
        [.. (await queue.PeekMessagesAsync(32)).Value.Select(m => m.MessageText)];

    private sealed class SlowWorkflow(TaskCompletionSource started, TaskCompletionSource finished, TimeSpan duration) : Workflow<CountState>
    {
        private int _runs;

        public int Runs => _runs;

        public override string Name => "Slow";

        public override async Task<StepResult<CountState>> RunAsync(WorkflowContext<CountState> context, WorkflowEvent e, CancellationToken ct)
        {
            Interlocked.Increment(ref _runs);
            started.TrySetResult();
            await Task.Delay(duration, ct);
            finished.TrySetResult();
            return StepResult<CountState>.Complete(context.State);
        }
    }
}
