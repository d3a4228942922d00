using ServerlessCapi.Durable.Tests.Support;
using Xunit.Abstractions;

namespace ServerlessCapi.Durable.Tests.Chaos;

/// <summary>Worker processes killed at random points while hundreds of instances run: every instance still completes,
/// and every effect the engine claims exactly-once is applied exactly once.</summary>
public class CrashSafetyTests(ITestOutputHelper output)
{
    private const int Instances = 200;

    [Fact]
    public async Task A_worker_killed_at_random_points_and_restarted_completes_every_instance_with_effects_applied_once()
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var hub = EngineHarness.NewHub();
        await using var client = await EngineHarness.StartAsync(hub, [], o => o.PartitionCount = 4, startWorker: false);
        var seed = Environment.TickCount;
        output.WriteLine($"hub {hub}, seed {seed}");
        var random = new Random(seed);

        var worker = WorkerProcess.Start(cs, hub, "crash-worker");
        try
        {
            var starting = ChaosVerifier.StartAllAsync(client.Client, Instances);
            for (var kill = 0; kill < 5; kill++)
            {
                // Random fault timing (not synchronisation): the kill lands wherever the worker happens to be.
                await Task.Delay(TimeSpan.FromMilliseconds(random.Next(1_500, 4_000)));
                worker.Kill();
                output.WriteLine($"killed worker #{kill}: {worker.Tail}");
                worker.Dispose();
                worker = WorkerProcess.Start(cs, hub, "crash-worker");
            }
            await starting;
            await ChaosVerifier.WaitForAllCompletedAsync(client.Client, Instances, TimeSpan.FromMinutes(2), () => worker.Tail);
        }
        finally
        {
            worker.Dispose();
        }
        await ChaosVerifier.AssertInvariantsAsync(client, cs, hub, Instances);
    }

    [Fact]
    public async Task Three_worker_processes_share_one_hub_and_a_killed_one_is_taken_over()
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var hub = EngineHarness.NewHub();
        await using var client = await EngineHarness.StartAsync(hub, [], o => o.PartitionCount = 4, startWorker: false);
        // Timers long enough to outlast partition balancing: a worker keeps the timers of its partitions in process, and
        // those of partitions it gives up meanwhile go to the queue when due, for the new owner.
        var workers = new[] { "w1", "w2", "w3" }.Select(id => WorkerProcess.Start(cs, hub, id, timerSeconds: 20)).ToList();
        try
        {
            // Work starts once every worker has announced itself, so no early starter holds every partition while
            // the whole run completes (on a loaded machine the processes come up seconds apart).
            await WaitFor.ConditionAsync(async () => await ChaosVerifier.WorkersAsync(cs, hub) == 3, TimeSpan.FromSeconds(60),
                "all three workers to announce themselves");
            await ChaosVerifier.StartAllAsync(client.Client, Instances);
            await WaitFor.ConditionAsync(async () => (await ChaosVerifier.MarkerWritersAsync(cs, hub)).Count >= 2, TimeSpan.FromSeconds(60),
                "work to spread over workers");
            // One worker dies for good: its leases lapse and the others take its partitions over.
            workers[2].Kill();
            await ChaosVerifier.WaitForAllCompletedAsync(client.Client, Instances, TimeSpan.FromMinutes(2),
                () => string.Join("\n---\n", workers.Select(w => w.Tail)));
        }
        finally
        {
            foreach (var w in workers) w.Dispose();
        }
        await ChaosVerifier.AssertInvariantsAsync(client, cs, hub, Instances);
        (await ChaosVerifier.MarkerWritersAsync(cs, hub)).Count.ShouldBeGreaterThanOrEqualTo(2);
    }
}
