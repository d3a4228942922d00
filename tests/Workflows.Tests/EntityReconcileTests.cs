using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>The per-object entity on a real TaskHubWorker over Azurite.</summary>
public sealed class EntityReconcileTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Signals_during_a_run_coalesce_into_one_more_run_and_runs_never_overlap()
    {
        var reconcile = new RecordingReconcile();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        reconcile.Script = async (_, call) =>
        {
            if (call == 1)
            {
                firstStarted.TrySetResult();
                await gate.Task;
            }
            return ReconcileOutcome.Done;
        };
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);
        var key = Hubs.Key("coalesce");

        reconcile.Bump(key);
        await host.Client.SignalChangedAsync(key);
        await firstStarted.Task.WaitAsync(Timeout);
        for (var i = 0; i < 10; i++)
        {
            reconcile.Bump(key);
            await host.Client.SignalChangedAsync(key);
        }
        gate.SetResult();

        await WaitFor.ConditionAsync(async () => (await host.Client.GetStateAsync(key))?.Runs == 2, Timeout, "the second run");
        reconcile.Observed[key.DurableKey].ShouldBe(11, "the run after the burst saw the latest generation");
        reconcile.MaxConcurrentPerObject.ShouldBe(1);
        // Ten signals made exactly one more run, not ten: wait for the entity to be idle with nothing queued.
        await WaitFor.ConditionAsync(async () => await IdleAsync(host, key), Timeout, "the entity to drain");
        reconcile.CallsOf(key).ShouldBe(2);
    }

    [Fact]
    public async Task Requeue_after_is_durable_across_a_worker_restart()
    {
        var reconcile = new RecordingReconcile
        {
            Script = (_, call) => Task.FromResult(call == 1 ? ReconcileOutcome.RequeueAfter(TimeSpan.FromSeconds(3)) : ReconcileOutcome.Done),
        };
        var options = await Hubs.OptionsAsync(Hubs.NewHub());
        var key = Hubs.Key("requeue");
        var first = await Hubs.StartAsync(options, reconcile);
        await first.Client.SignalChangedAsync(key);
        var state = await WaitFor.ValueAsync(async () => await first.Client.GetStateAsync(key) is { Runs: 1, WakeAt: not null } s ? s : null, Timeout, "the first run");
        await first.StopAsync();
        await first.DisposeAsync();
        reconcile.CallsOf(key).ShouldBe(1);

        // A new worker (new process in production) picks up the scheduled wake from storage.
        await using var second = await Hubs.StartAsync(options, reconcile);
        await WaitFor.ConditionAsync(async () => (await second.Client.GetStateAsync(key))?.Runs == 2, Timeout, "the requeued run");
        reconcile.CallsOf(key).ShouldBe(2);
        var after = await second.Client.GetStateAsync(key);
        after!.WakeAt.ShouldBeNull();
        // Scheduled signals ride on queue visibility delays, which storage counts in whole seconds.
        after.LastRunAt!.Value.ShouldBeGreaterThanOrEqualTo(state.WakeAt!.Value.AddSeconds(-1));
    }

    [Fact]
    public async Task A_reconcile_that_throws_is_retried_with_backoff_until_it_succeeds()
    {
        var reconcile = new RecordingReconcile
        {
            Script = (_, call) => call <= 4 ? throw new InvalidOperationException($"boom {call}") : Task.FromResult(ReconcileOutcome.Done),
        };
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);
        var key = Hubs.Key("flaky");
        await host.Client.SignalChangedAsync(key);

        var failing = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(key) is { Failures: 3 } s ? s : null, Timeout, "three failures");
        failing.LastError.ShouldBe("InvalidOperationException: boom 3");
        failing.WakeAt.ShouldNotBeNull();
        var converged = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(key) is { Runs: 5 } s ? s : null, Timeout, "convergence");
        converged.Failures.ShouldBe(0);
        converged.LastError.ShouldBeNull();
        converged.WakeAt.ShouldBeNull();
        reconcile.CallsOf(key).ShouldBe(5);
    }

    [Fact]
    public async Task Terminal_stops_the_object_until_the_next_change_revives_it()
    {
        var reconcile = new RecordingReconcile
        {
            Script = (_, call) => Task.FromResult(call switch
            {
                1 => ReconcileOutcome.RequeueAfter(TimeSpan.FromSeconds(1)),
                2 => ReconcileOutcome.Terminal("spec is invalid"),
                _ => ReconcileOutcome.Done,
            }),
        };
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);
        var key = Hubs.Key("terminal");
        await host.Client.SignalChangedAsync(key);
        var stopped = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(key) is { TerminalReason: not null } s ? s : null, Timeout, "terminal");
        stopped.TerminalReason.ShouldBe("spec is invalid");
        stopped.Runs.ShouldBe(2);
        // A wake carrying the live sequence still does nothing while terminal.
        await host.Client.SignalAsync(ObjectReconcileEntity.IdFor(key).ToString(), nameof(ObjectReconcileEntity.Wake), stopped.WakeSequence);
        await WaitFor.ConditionAsync(async () => await IdleAsync(host, key), Timeout, "the wake to be processed");
        reconcile.CallsOf(key).ShouldBe(2);

        await host.Client.SignalChangedAsync(key);
        var revived = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(key) is { Runs: 3 } s ? s : null, Timeout, "revival");
        revived.TerminalReason.ShouldBeNull();
        reconcile.CallsOf(key).ShouldBe(3);
    }

    [Fact]
    public async Task A_change_supersedes_a_pending_requeue_whose_late_firing_is_ignored()
    {
        var reconcile = new RecordingReconcile
        {
            Script = (_, call) => Task.FromResult(call == 1 ? ReconcileOutcome.RequeueAfter(TimeSpan.FromSeconds(2)) : ReconcileOutcome.Done),
        };
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);
        var key = Hubs.Key("stale");
        await host.Client.SignalChangedAsync(key);
        var first = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(key) is { Runs: 1, WakeAt: not null } s ? s : null, Timeout, "first run");
        await host.Client.SignalChangedAsync(key);
        await WaitFor.ConditionAsync(async () => (await host.Client.GetStateAsync(key))?.Runs == 2, Timeout, "the change's run");

        // The superseded wake still arrives at its due time; once it has been processed the count must not move.
        await WaitFor.ConditionAsync(async () => DateTimeOffset.UtcNow > first.WakeAt!.Value.AddSeconds(2) && await IdleAsync(host, key), Timeout, "the stale wake's due time");
        var entity = await host.Client.QueryEntitiesAsync(ObjectReconcileEntity.IdFor(key).ToString(), 10, null);
        entity.Entities.ShouldHaveSingleItem();
        reconcile.CallsOf(key).ShouldBe(2);
        (await host.Client.GetStateAsync(key))!.Runs.ShouldBe(2);
    }

    /// <summary>The entity is not locked and has no messages waiting in its backlog.</summary>
    internal static async Task<bool> IdleAsync(DurableHost host, ObjectKey key)
    {
        var page = await host.Client.QueryEntitiesAsync(ObjectReconcileEntity.IdFor(key).ToString(), 1, null);
        return page.Entities is [{ LockedBy: null, Backlog: 0 }];
    }
}
