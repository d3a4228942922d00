using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>Duplicate and reordered delivery: many copies of a change signal, and scheduled wakes carrying stale
/// sequence numbers arriving after newer ones. None may make runs overlap, revive a terminal object, or make more than
/// one run per operation batch.</summary>
public sealed class DeliveryTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task Duplicate_changes_and_stale_wakes_queued_before_a_batch_make_exactly_one_run()
    {
        var reconcile = new RecordingReconcile
        {
            Script = (_, call) => Task.FromResult(call == 1 ? ReconcileOutcome.RequeueAfter(Hour) : ReconcileOutcome.Done),
        };
        var hub = Hubs.NewHub();
        var options = await Hubs.OptionsAsync(hub, "first", partitions: 1);
        var key = Hubs.Key("queued");
        var id = ObjectReconcileEntity.IdFor(key).ToString();
        await using (var first = await Hubs.StartAsync(options, reconcile))
        {
            await first.Client.SignalChangedAsync(key);
            await WaitFor.ConditionAsync(async () => await first.Client.GetStateAsync(key) is { Runs: 1, WakeSequence: 1, WakeAt: not null }
                && await HubQueues.MessagesAsync(hub) == 1, Timeout, "the first run and its hour-long wake");
            await first.StopAsync();
        }

        // With no worker running, duplicates of the change and of the live wake queue up among wakes from before it.
        await using (var sender = new DurableHost(new DurableHostOptions { ConnectionString = options.ConnectionString, TaskHubName = hub, PartitionCount = 1, EnableWorker = false }))
        {
            for (var i = 0; i < 16; i++)
            {
                await sender.Client.SignalChangedAsync(key);
                if (i % 4 != 0) continue;
                await sender.Client.SignalAsync(id, nameof(ObjectReconcileEntity.Wake), 1L);
                await sender.Client.SignalAsync(id, nameof(ObjectReconcileEntity.Wake), 0L);
            }
        }
        (await HubQueues.MessagesAsync(hub)).ShouldBe(1 + 16 + 8);

        var counted = await CountingHost.StartAsync(await Hubs.OptionsAsync(hub, "second", partitions: 1), reconcile);
        await using var second = counted.Host;
        // Only the hour-long wake, stale now, stays queued once every signal has been processed.
        await WaitFor.ConditionAsync(async () => await HubQueues.MessagesAsync(hub) == 1, Timeout, "every signal to be processed");
        var state = (await second.Client.GetStateAsync(key))!;
        reconcile.CallsOf(key).ShouldBe(2, $"24 signals queued before the batch made one run ({counted.Batches} batches)");
        state.Runs.ShouldBe(2);
        state.WakeSequence.ShouldBe(2);
        state.WakeAt.ShouldBeNull();
        reconcile.MaxConcurrentPerObject.ShouldBe(1);
    }

    [Fact]
    public async Task Stale_wakes_arriving_after_newer_ones_never_run_and_never_revive_a_terminal_object()
    {
        var reconcile = new RecordingReconcile
        {
            Script = (_, call) => Task.FromResult(call switch
            {
                1 or 2 => ReconcileOutcome.RequeueAfter(Hour),
                3 => ReconcileOutcome.Terminal("spec is invalid"),
                _ => ReconcileOutcome.Done,
            }),
        };
        var hub = Hubs.NewHub();
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(hub, partitions: 1), reconcile);
        var key = Hubs.Key("reordered");
        var id = ObjectReconcileEntity.IdFor(key).ToString();
        async Task WakeAsync(long sequence, int copies) =>
            await Task.WhenAll(Enumerable.Range(0, copies).Select(_ => host.Client.SignalAsync(id, nameof(ObjectReconcileEntity.Wake), sequence)));

        await host.Client.SignalChangedAsync(key);
        await WaitFor.ConditionAsync(async () => (await host.Client.GetStateAsync(key))?.Runs == 1, Timeout, "the first run");
        // The live wake (sequence 1) delivered early runs; its hour-long original stays queued.
        await WakeAsync(1, 1);
        await WaitFor.ConditionAsync(async () => (await host.Client.GetStateAsync(key))?.Runs == 2, Timeout, "the wake's run");
        reconcile.ScheduledCallsOf(key).ShouldBe(1);

        // Older wakes arriving after the newer one: ignored, whatever their number.
        await WakeAsync(1, 5);
        await WakeAsync(0, 5);
        await WaitFor.ConditionAsync(async () => await HubQueues.MessagesAsync(hub) == 2, Timeout, "the stale wakes to be processed");
        reconcile.CallsOf(key).ShouldBe(2);
        (await host.Client.GetStateAsync(key))!.WakeSequence.ShouldBe(2);

        await WakeAsync(2, 1);
        var terminal = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(key) is { TerminalReason: not null } s ? s : null, Timeout, "terminal");
        terminal.Runs.ShouldBe(3);
        // Neither the live sequence nor older ones revive a terminal object; only a change does.
        await WakeAsync(3, 3);
        await WakeAsync(2, 3);
        await WakeAsync(1, 3);
        await WaitFor.ConditionAsync(async () => await HubQueues.MessagesAsync(hub) == 2, Timeout, "the wakes to the terminal object to be processed");
        reconcile.CallsOf(key).ShouldBe(3);
        var still = (await host.Client.GetStateAsync(key))!;
        still.TerminalReason.ShouldBe("spec is invalid");
        still.Runs.ShouldBe(3);

        await host.Client.SignalChangedAsync(key);
        var revived = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(key) is { Runs: 4 } s ? s : null, Timeout, "revival");
        revived.TerminalReason.ShouldBeNull();
        reconcile.CallsOf(key).ShouldBe(4);
        reconcile.ScheduledCallsOf(key).ShouldBe(2);
        reconcile.MaxConcurrentPerObject.ShouldBe(1);
    }

    [Fact]
    public async Task Bursts_of_duplicate_changes_during_runs_never_overlap_and_make_at_most_one_run_per_batch()
    {
        var reconcile = new RecordingReconcile
        {
            // Runs take a while, so bursts land while one is in progress.
            Script = async (_, _) =>
            {
                await Task.Delay(30);
                return ReconcileOutcome.Done;
            },
        };
        var hub = Hubs.NewHub();
        var counted = await CountingHost.StartAsync(await Hubs.OptionsAsync(hub, partitions: 1), reconcile);
        await using var host = counted.Host;
        var key = Hubs.Key("burst");
        for (var round = 0; round < 5; round++)
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, 20), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (_, _) =>
            {
                reconcile.Bump(key);
                await host.Client.SignalChangedAsync(key);
            });
        }

        await WaitFor.ConditionAsync(async () => await HubQueues.MessagesAsync(hub) == 0 && reconcile.Observed[key.DurableKey] == 100,
            Timeout, "every signal to be processed");
        var calls = reconcile.CallsOf(key);
        calls.ShouldBeLessThanOrEqualTo(counted.Batches);
        (await host.Client.GetStateAsync(key))!.Runs.ShouldBe(calls);
        reconcile.MaxConcurrentPerObject.ShouldBe(1);
    }

    /// <summary>A host whose entity factory counts operation batches (the shim builds one entity object per batch).</summary>
    private sealed class CountingHost
    {
        private int batches;

        public required DurableHost Host { get; init; }

        public int Batches => Volatile.Read(ref batches);

        public static async Task<CountingHost> StartAsync(DurableHostOptions options, IObjectReconcile reconcile)
        {
            var host = new DurableHost(options);
            var counted = new CountingHost { Host = host };
            host.AddEntity(ObjectReconcileEntity.Name, () =>
            {
                Interlocked.Increment(ref counted.batches);
                return new ObjectReconcileEntity(reconcile, options.Backoff, TimeProvider.System, CancellationToken.None);
            });
            await host.StartAsync();
            return counted;
        }
    }
}
