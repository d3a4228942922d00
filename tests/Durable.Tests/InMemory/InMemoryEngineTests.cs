using ServerlessCapi.Durable.Tests.Support;

namespace ServerlessCapi.Durable.Tests.InMemory;

public class InMemoryEngineTests
{
    private static DelegateWorkflow<CountState> TimerThenSignal() => new("Flow", (ctx, e) =>
    {
        var s = ctx.State;
        s.Steps++;
        switch (e.Kind)
        {
            case WorkflowEventKind.Started:
                return StepResult<CountState>.Continue(s, Wait.ForSignalOrUntil(ctx.Now.AddSeconds(10)), "waiting-timer");
            case WorkflowEventKind.TimerFired:
                s.Timers++;
                return StepResult<CountState>.Continue(s, Wait.ForSignal, "waiting-signal");
            default:
                s.Signals.Add(e.Name!);
                s.Payloads.Add(e.Payload ?? "");
                return e.Name == "finish" ? StepResult<CountState>.Complete(s, "done") : StepResult<CountState>.Continue(s, Wait.ForSignal);
        }
    });

    [Fact]
    public async Task An_instance_runs_its_steps_fires_its_timer_and_completes_with_a_history()
    {
        var host = new InMemoryWorkflowHost(TimerThenSignal());
        (await host.Client.StartAsync("Flow", "Machine/a", "{\"x\":1}")).ShouldBeTrue();
        (await host.Client.StartAsync("Flow", "Machine/a")).ShouldBeFalse();
        await host.RunUntilIdleAsync();

        var status = (await host.Client.GetStatusAsync("Machine/a"))!;
        status.RuntimeStatus.ShouldBe(RuntimeStatus.Running);
        status.CustomStatus.ShouldBe("waiting-timer");
        status.NextTimerAt.ShouldBe(host.Clock.GetUtcNow().AddSeconds(10));

        await host.AdvanceAsync(TimeSpan.FromSeconds(9));
        (await host.Client.GetStatusAsync("Machine/a"))!.CustomStatus.ShouldBe("waiting-timer");
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        (await host.Client.GetStatusAsync("Machine/a"))!.CustomStatus.ShouldBe("waiting-signal");

        await host.Client.RaiseEventAsync("Machine/a", "finish", "\"bye\"");
        await host.RunUntilIdleAsync();
        status = (await host.Client.GetStatusAsync("Machine/a", showHistory: true))!;
        status.RuntimeStatus.ShouldBe(RuntimeStatus.Completed);
        status.Input.ShouldBe("{\"x\":1}");
        status.State!.ShouldContain("\"steps\":3");
        status.History!.Select(h => h.Event).ShouldBe(["Created", "Started", "TimerFired", "Signal:finish"]);
        status.History![1].FromStatus.ShouldBe("Pending");
        status.History![1].ToStatus.ShouldBe("Running");
        status.History![^1].ToStatus.ShouldBe("Completed");
    }

    [Fact]
    public async Task A_signal_with_a_repeated_message_id_is_applied_once()
    {
        var host = new InMemoryWorkflowHost(TimerThenSignal());
        await host.Client.StartAsync("Flow", "i1");
        await host.RunUntilIdleAsync();
        for (var i = 0; i < 3; i++) await host.Client.RaiseEventAsync("i1", "ping", messageId: "m-1");
        await host.RunUntilIdleAsync();
        await host.Client.RaiseEventAsync("i1", "ping", messageId: "m-1");
        await host.Client.RaiseEventAsync("i1", "ping", messageId: "m-2");
        await host.RunUntilIdleAsync();

        var state = await StateAsync(host, "i1");
        state.Signals.ShouldBe(["ping", "ping"]);
    }

    [Fact]
    public async Task Several_signals_waiting_for_one_instance_are_applied_in_one_commit()
    {
        var host = new InMemoryWorkflowHost(TimerThenSignal());
        await host.Client.StartAsync("Flow", "i1");
        await host.RunUntilIdleAsync();
        var before = host.Commits;
        for (var i = 0; i < 5; i++) await host.Client.RaiseEventAsync("i1", "ping", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        await host.RunUntilIdleAsync();

        (host.Commits - before).ShouldBe(1);
        (await StateAsync(host, "i1")).Payloads.Count.ShouldBe(5);
    }

    [Fact]
    public async Task A_signal_that_rearms_the_wait_makes_the_older_timer_stale()
    {
        var wf = new DelegateWorkflow<CountState>("Rewait", (ctx, e) =>
        {
            var s = ctx.State;
            if (e.Kind == WorkflowEventKind.TimerFired) s.Timers++;
            if (e.Kind == WorkflowEventKind.Signal) s.Signals.Add(e.Name!);
            return StepResult<CountState>.Continue(s, Wait.ForSignalOrUntil(ctx.Now.AddSeconds(10)));
        });
        var host = new InMemoryWorkflowHost(wf);
        await host.Client.StartAsync("Rewait", "i1");
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromSeconds(6));
        await host.Client.RaiseEventAsync("i1", "poke");
        await host.RunUntilIdleAsync();

        await host.AdvanceAsync(TimeSpan.FromSeconds(5)); // the first deadline passes: its message is stale
        (await StateAsync(host, "i1")).Timers.ShouldBe(0);
        await host.AdvanceAsync(TimeSpan.FromSeconds(5)); // the re-armed deadline fires
        (await StateAsync(host, "i1")).Timers.ShouldBe(1);
    }

    [Fact]
    public async Task A_deadline_pushed_out_again_and_again_keeps_one_timer_message_and_an_earlier_one_arms_another()
    {
        var wf = new DelegateWorkflow<CountState>("Pushed", (ctx, e) =>
        {
            var s = ctx.State;
            if (e.Kind == WorkflowEventKind.TimerFired) s.Timers++;
            if (e.Kind == WorkflowEventKind.Signal) s.Signals.Add(e.Name!);
            var wait = e.Name == "soon" ? TimeSpan.FromSeconds(2) : TimeSpan.FromSeconds(10);
            return StepResult<CountState>.Continue(s, Wait.ForSignalOrUntil(ctx.Now + wait));
        });
        var host = new InMemoryWorkflowHost(wf);
        await host.Client.StartAsync("Pushed", "i1");
        await host.RunUntilIdleAsync();
        host.QueuedMessages.ShouldBe(1); // the timer for t+10

        for (var i = 0; i < 5; i++)
        {
            await host.AdvanceAsync(TimeSpan.FromSeconds(1));
            await host.Client.RaiseEventAsync("i1", "poke");
            await host.RunUntilIdleAsync();
            host.QueuedMessages.ShouldBe(1); // still the first timer message: it comes no later than the new deadline
        }
        var deadline = (await host.Client.GetStatusAsync("i1"))!.NextTimerAt;
        deadline.ShouldBe(host.Clock.GetUtcNow().AddSeconds(10));

        await host.AdvanceAsync(TimeSpan.FromSeconds(5)); // the first message arrives early and is sent again for the rest
        (await StateAsync(host, "i1")).Timers.ShouldBe(0);
        host.QueuedMessages.ShouldBe(1);
        await host.AdvanceAsync(TimeSpan.FromSeconds(5));
        (await StateAsync(host, "i1")).Timers.ShouldBe(1);

        await host.Client.RaiseEventAsync("i1", "poke"); // deadline t+10 again, a fresh message
        await host.RunUntilIdleAsync();
        await host.Client.RaiseEventAsync("i1", "soon"); // an earlier deadline needs its own message
        await host.RunUntilIdleAsync();
        host.QueuedMessages.ShouldBe(2);
        await host.AdvanceAsync(TimeSpan.FromSeconds(2));
        (await StateAsync(host, "i1")).Timers.ShouldBe(2);
    }

    [Fact]
    public async Task A_failing_step_is_retried_with_backoff_and_sees_its_original_event_again()
    {
        var failuresLeft = 2;
        var seenAttempts = new List<int>();
        var wf = new DelegateWorkflow<CountState>("Flaky", (ctx, e) =>
        {
            if (e.Kind == WorkflowEventKind.Signal)
            {
                seenAttempts.Add(ctx.FailedAttempts);
                if (failuresLeft-- > 0) throw new InvalidOperationException("provider unavailable");
                ctx.State.Payloads.Add(e.Payload!);
            }
            return StepResult<CountState>.Continue(ctx.State, Wait.ForSignal);
        });
        var host = new InMemoryWorkflowHost([wf], new DurableWorkflowOptions { RetryInitialDelay = TimeSpan.FromSeconds(1) });
        await host.Client.StartAsync("Flaky", "i1");
        await host.RunUntilIdleAsync();
        await host.Client.RaiseEventAsync("i1", "go", "\"p1\"");
        await host.RunUntilIdleAsync();

        var status = (await host.Client.GetStatusAsync("i1"))!;
        status.FailedAttempts.ShouldBe(1);
        status.LastError!.ShouldContain("provider unavailable");
        status.NextTimerAt.ShouldBe(host.Clock.GetUtcNow().AddSeconds(1));

        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        (await host.Client.GetStatusAsync("i1"))!.NextTimerAt.ShouldBe(host.Clock.GetUtcNow().AddSeconds(2));
        await host.AdvanceAsync(TimeSpan.FromSeconds(2));

        status = (await host.Client.GetStatusAsync("i1", showHistory: true))!;
        status.FailedAttempts.ShouldBe(0);
        status.RuntimeStatus.ShouldBe(RuntimeStatus.Running);
        seenAttempts.ShouldBe([0, 1, 2]);
        (await StateAsync(host, "i1")).Payloads.ShouldBe(["\"p1\""]);
        status.History!.Count(h => h.Event == "StepFailed").ShouldBe(2);
    }

    [Fact]
    public async Task A_step_that_keeps_failing_fails_the_instance_after_the_attempt_limit()
    {
        var wf = new DelegateWorkflow<CountState>("Broken", (_, _) => throw new InvalidOperationException("boom"));
        var host = new InMemoryWorkflowHost([wf], new DurableWorkflowOptions { MaxStepAttempts = 3 });
        await host.Client.StartAsync("Broken", "i1");
        await host.RunUntilIdleAsync();
        while (await host.AdvanceToNextTimerAsync())
        {
        }

        var status = (await host.Client.GetStatusAsync("i1"))!;
        status.RuntimeStatus.ShouldBe(RuntimeStatus.Failed);
        status.FailedAttempts.ShouldBe(3);
        status.LastError.ShouldBe("InvalidOperationException: boom");
        wf.Runs.ShouldBe(3);
    }

    [Fact]
    public async Task A_step_whose_state_outgrows_the_instance_row_fails_instead_of_breaking_later_commits()
    {
        var wf = new DelegateWorkflow<CountState>("Grow", (ctx, _) =>
        {
            ctx.State.Payloads.Add(new string('x', 300_000));
            return StepResult<CountState>.Continue(ctx.State, Wait.ForSignal);
        });
        var host = new InMemoryWorkflowHost([wf], new DurableWorkflowOptions { MaxStepAttempts = 1 });
        await host.Client.StartAsync("Grow", "g");
        await host.RunUntilIdleAsync();

        var status = (await host.Client.GetStatusAsync("g"))!;
        status.RuntimeStatus.ShouldBe(RuntimeStatus.Failed);
        status.LastError!.ShouldContain("the limit is 200000");
        status.State.ShouldBeNull();
    }

    [Fact]
    public async Task Suspension_holds_signals_and_timers_until_resume_and_terminate_ends_the_instance()
    {
        var host = new InMemoryWorkflowHost(TimerThenSignal());
        await host.Client.StartAsync("Flow", "i1");
        await host.RunUntilIdleAsync();
        (await host.Client.SuspendAsync("i1", "maintenance")).ShouldBeTrue();
        await host.Client.RaiseEventAsync("i1", "ping", "1");
        await host.AdvanceAsync(TimeSpan.FromSeconds(30));

        (await host.Client.GetStatusAsync("i1"))!.RuntimeStatus.ShouldBe(RuntimeStatus.Suspended);
        (await StateAsync(host, "i1")).Steps.ShouldBe(1);

        (await host.Client.ResumeAsync("i1", "done")).ShouldBeTrue();
        await host.RunUntilIdleAsync();
        var state = await StateAsync(host, "i1");
        state.Timers.ShouldBe(1);
        state.Payloads.ShouldBe(["1"]);
        (await host.Client.GetStatusAsync("i1"))!.RuntimeStatus.ShouldBe(RuntimeStatus.Running);

        (await host.Client.TerminateAsync("i1", "no longer needed")).ShouldBeTrue();
        (await host.Client.TerminateAsync("i1", "again")).ShouldBeFalse();
        await host.Client.RaiseEventAsync("i1", "ping", "2");
        await host.RunUntilIdleAsync();
        (await host.Client.GetStatusAsync("i1"))!.RuntimeStatus.ShouldBe(RuntimeStatus.Terminated);
        (await StateAsync(host, "i1")).Payloads.ShouldBe(["1"]);
        (await host.Client.ResumeAsync("i1", "x")).ShouldBeFalse();
        (await host.Client.PurgeAsync("i1")).ShouldBeTrue();
        (await host.Client.GetStatusAsync("i1")).ShouldBeNull();
    }

    [Fact]
    public async Task Outbox_signals_start_missing_instances_and_starts_are_singletons()
    {
        var child = new DelegateWorkflow<CountState>("Child", (ctx, e) =>
        {
            ctx.State.Steps++;
            if (e.Kind == WorkflowEventKind.Signal) ctx.State.Signals.Add(e.Name!);
            return StepResult<CountState>.Continue(ctx.State, Wait.ForSignal);
        });
        var parent = new DelegateWorkflow<CountState>("Parent", (ctx, e) =>
        {
            if (e.Kind == WorkflowEventKind.Started)
            {
                ctx.StartInstance("Child", "child/started", "{}");
                ctx.StartInstance("Child", "child/started", "{}");
                ctx.SendSignal("child/by-signal", "hello", startWorkflow: "Child");
                ctx.SendSignal("child/missing", "hello");
            }
            return StepResult<CountState>.Complete(ctx.State);
        });
        var host = new InMemoryWorkflowHost(parent, child);
        await host.Client.StartAsync("Parent", "p");
        await host.RunUntilIdleAsync();

        (await host.Client.GetStatusAsync("child/started"))!.Input.ShouldBe("{}");
        (await StateAsync(host, "child/started")).Steps.ShouldBe(1);
        (await StateAsync(host, "child/by-signal")).Signals.ShouldBe(["hello"]);
        (await host.Client.GetStatusAsync("child/missing")).ShouldBeNull();
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public async Task Shuffled_and_duplicated_delivery_applies_every_signal_exactly_once(int seed)
    {
        var sink = new DelegateWorkflow<CountState>("Sink", (ctx, e) =>
        {
            if (e.Kind == WorkflowEventKind.Signal) ctx.State.Payloads.Add(e.Payload!);
            return StepResult<CountState>.Continue(ctx.State, Wait.ForSignal);
        });
        var source = new DelegateWorkflow<CountState>("Source", (ctx, e) =>
        {
            ctx.State.Steps++;
            if (e.Kind == WorkflowEventKind.Started)
            {
                ctx.SendSignal("sink", "hit", $"{ctx.InstanceId}:1", startWorkflow: "Sink");
                return StepResult<CountState>.Continue(ctx.State, Wait.ForSignalOrUntil(ctx.Now.AddSeconds(1)));
            }
            ctx.SendSignal("sink", "hit", $"{ctx.InstanceId}:2", startWorkflow: "Sink");
            return StepResult<CountState>.Complete(ctx.State);
        });
        var host = new InMemoryWorkflowHost([sink, source], delivery: new InMemoryDelivery(seed, DuplicateDeliveries: true));
        for (var i = 0; i < 20; i++) await host.Client.StartAsync("Source", $"src/{i}");
        await host.RunUntilIdleAsync();
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));

        var payloads = (await StateAsync(host, "sink")).Payloads;
        payloads.Count.ShouldBe(40);
        payloads.Distinct().Count().ShouldBe(40);
        for (var i = 0; i < 20; i++)
        {
            (await host.Client.GetStatusAsync($"src/{i}"))!.RuntimeStatus.ShouldBe(RuntimeStatus.Completed);
            (await StateAsync(host, $"src/{i}")).Steps.ShouldBe(2);
        }
    }

    [Fact]
    public async Task Listing_filters_by_status_prefix_and_pages_with_a_continuation_token()
    {
        var host = new InMemoryWorkflowHost(TimerThenSignal());
        for (var i = 0; i < 5; i++) await host.Client.StartAsync("Flow", $"Machine/{i}");
        await host.Client.StartAsync("Flow", "Cluster/0");
        await host.RunUntilIdleAsync();
        await host.Client.TerminateAsync("Machine/0", "x");

        var seen = new List<string>();
        string? token = null;
        do
        {
            var page = await host.Client.ListAsync(new InstanceQuery([RuntimeStatus.Running], "Machine/", PageSize: 2, ContinuationToken: token));
            page.Instances.Count.ShouldBeLessThanOrEqualTo(2);
            seen.AddRange(page.Instances.Select(i => i.InstanceId));
            token = page.ContinuationToken;
        }
        while (token is not null);
        seen.ShouldBe(["Machine/1", "Machine/2", "Machine/3", "Machine/4"]);
    }

    private static async Task<CountState> StateAsync(InMemoryWorkflowHost host, string id) =>
        System.Text.Json.JsonSerializer.Deserialize<CountState>(
            (await host.Client.GetStatusAsync(id))!.State!, new System.Text.Json.JsonSerializerOptions(System.Text.Json.JsonSerializerDefaults.Web))!;
}
