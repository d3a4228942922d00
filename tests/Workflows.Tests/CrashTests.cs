using System.Diagnostics;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Reconcile;
using Xunit.Abstractions;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>A worker process killed without warning, in the middle of a reconcile or with a requeue pending: another
/// worker must take over the partition and run the object's work within the tuned visibility timeout and claim
/// expiry, not DTFx's 5-minute default, and a durable wake must outlive the process that scheduled it.</summary>
[Collection(nameof(WorkerProcessCollection))]
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_killed_workers_reconcile_is_run_by_another_worker_within_a_minute()
    {
        var hub = Hubs.NewHub();
        var marker = Path.Combine(Path.GetTempPath(), $"{hub}.marker");
        await using var child = await ChildWorker.StartAsync("child", new Dictionary<string, string>
        {
            ["SCAPI_WORKER_MODE"] = "hang",
            ["SCAPI_WORKER_HUB"] = hub,
            ["SCAPI_WORKER_PARTITIONS"] = "1",
            ["SCAPI_WORKER_MARKER"] = marker,
        });
        try
        {
            await child.ReadyAsync(TimeSpan.FromSeconds(60));
            var key = Hubs.Key("crash");
            var reconcile = new RecordingReconcile();
            // The replacement shares the hub (one partition, owned by the child until it dies).
            var options = await Hubs.OptionsAsync(hub, "survivor", partitions: 1);
            await using var client = new Hosting.DurableHost(new Hosting.DurableHostOptions { ConnectionString = options.ConnectionString, TaskHubName = hub, PartitionCount = 1, EnableWorker = false });
            await client.StartAsync();
            await client.Client.SignalChangedAsync(key);
            await WaitFor.ConditionAsync(() => File.Exists(marker) && File.ReadAllText(marker).Contains(key.DurableKey, StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "the child to start the reconcile");

            await child.KillAsync();
            var killed = Stopwatch.StartNew();
            await using var survivor = await Hubs.StartAsync(options, reconcile);
            await WaitFor.ConditionAsync(async () => (await survivor.Client.GetStateAsync(key))?.Runs >= 1 && reconcile.CallsOf(key) == 1,
                TimeSpan.FromSeconds(90), "the survivor to reconcile the object");
            output.WriteLine($"resumed {killed.Elapsed.TotalSeconds:0.0} s after the kill (visibility timeout {options.ControlQueueVisibilityTimeout.TotalSeconds} s, lease {options.PartitionLeaseInterval.TotalSeconds} s)");
            killed.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(1));
        }
        finally
        {
            File.Delete(marker);
        }
    }

    [Fact]
    public async Task A_requeue_scheduled_by_a_killed_worker_is_run_by_a_survivor_when_due()
    {
        var hub = Hubs.NewHub();
        var key = Hubs.Key("timer");
        var options = await Hubs.OptionsAsync(hub, "survivor", partitions: 1);
        await using var client = new Hosting.DurableHost(new Hosting.DurableHostOptions { ConnectionString = options.ConnectionString, TaskHubName = hub, PartitionCount = 1, EnableWorker = false });
        await client.StartAsync();
        await using var child = await ChildWorker.StartAsync("child", new Dictionary<string, string>
        {
            ["SCAPI_WORKER_MODE"] = "requeue",
            ["SCAPI_WORKER_HUB"] = hub,
            ["SCAPI_WORKER_PARTITIONS"] = "1",
            ["SCAPI_WORKER_REQUEUE_SECONDS"] = "8",
        });
        await child.ReadyAsync(TimeSpan.FromSeconds(60));
        await client.Client.SignalChangedAsync(key);
        // The child's run has committed, and the change signal has been deleted from the queue: the one message left
        // is the scheduled wake, hidden until due.
        var scheduled = await WaitFor.ValueAsync(async () =>
            await client.Client.GetStateAsync(key) is { Runs: 1, WakeAt: not null } s && await HubQueues.MessagesAsync(hub) == 1 ? s : null,
            TimeSpan.FromSeconds(30), "the child's run and its scheduled wake");

        await child.KillAsync();
        var killed = Stopwatch.StartNew();
        DateTimeOffset.UtcNow.ShouldBeLessThan(scheduled.WakeAt!.Value, "the worker died before the wake was due");
        var reconcile = new RecordingReconcile();
        await using var survivor = await Hubs.StartAsync(options, reconcile);
        var woken = await WaitFor.ValueAsync(async () => await survivor.Client.GetStateAsync(key) is { Runs: 2 } s ? s : null,
            TimeSpan.FromSeconds(60), "the survivor to run the scheduled wake");
        output.WriteLine($"wake due {(scheduled.WakeAt.Value - scheduled.LastRunAt!.Value).TotalSeconds:0.0} s after the child's run; run by the survivor {killed.Elapsed.TotalSeconds:0.0} s after the kill, {(woken.LastRunAt!.Value - scheduled.WakeAt.Value).TotalSeconds:0.0} s after it was due");
        killed.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(1));
        // The run came from the wake (the live sequence), not from a change signal delivered again.
        reconcile.CallsOf(key).ShouldBe(1);
        reconcile.ScheduledCallsOf(key).ShouldBe(1);
        woken.WakeSequence.ShouldBe(scheduled.WakeSequence + 1);
        // Scheduled signals ride on queue visibility delays, which storage counts in whole seconds.
        woken.LastRunAt!.Value.ShouldBeGreaterThanOrEqualTo(scheduled.WakeAt.Value.AddSeconds(-1));
    }
}
