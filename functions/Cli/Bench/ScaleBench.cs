using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;
using k8s.Models;

namespace ServerlessCapi.Cli.Bench;

/// <summary><c>scapi bench scale</c>: a fleet of N clusters from nothing to Running and back to nothing on a fresh
/// local deployment, with what it cost in storage and API requests. Prints one JSON line.</summary>
internal static class ScaleBench
{
    public static Command Create()
    {
        var clusters = new Option<int>("--clusters") { Description = "Clusters to create.", DefaultValueFactory = _ => 10 };
        var workers = new Option<int>("--workers") { Description = "Workers per cluster (a MachineDeployment).", DefaultValueFactory = _ => 3 };
        var cp = new Option<int>("--cp") { Description = "Control-plane Machines per cluster.", DefaultValueFactory = _ => 1 };
        var instances = new Option<int>("--instances") { Description = "App processes.", DefaultValueFactory = _ => 1 };
        var boot = DurationOption.Create("--boot", "Simulated boot time of each VM, node, API server and etcd", TimeSpan.Zero);
        var idle = DurationOption.Create("--idle", "How long to stand idle with the fleet present, measuring idle load", TimeSpan.FromSeconds(60));
        var settle = DurationOption.Create("--settle", "How long to wait after all Machines run before measuring idle load (timers set while provisioning fire and go)",
            TimeSpan.FromSeconds(75));
        var timeout = DurationOption.Create("--timeout", "How long to wait for the fleet to run, and to go", TimeSpan.FromMinutes(30));
        var deleteTimeout = DurationOption.Create("--delete-timeout", "How long to wait for the fleet to go (default: --timeout)", TimeSpan.Zero);
        var healthChecks = new Option<bool>("--health-checks")
        {
            Description = "Give each cluster the quickstart's MachineHealthCheck on its workers (off by default: the fleet is the control plane and the " +
                "workers; a health check's node startup timeout shorter than the fleet's provisioning time remediates Machines still coming up).",
        };
        var cmd = new Command("scale", "Create N clusters, wait until every Machine runs, stand idle, delete them all; report times and costs.")
        {
            clusters, workers, cp, instances, boot, idle, settle, timeout, deleteTimeout, healthChecks,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var shape = new FleetShape(p.GetValue(clusters), p.GetValue(cp), p.GetValue(workers), "fleet", p.GetValue(boot), p.GetValue(healthChecks));
            var toGo = p.GetValue(deleteTimeout) is { } d && d > TimeSpan.Zero ? d : p.GetValue(timeout);
            var result = await RunAsync(shape, Math.Max(1, p.GetValue(instances)), p.GetValue(idle), p.GetValue(settle), p.GetValue(timeout), toGo, ct);
            Console.WriteLine(JsonSerializer.Serialize(result));
            return result["allRunning"] is true && result["allDeleted"] is true ? 0 : 1;
        });
        return cmd;
    }

    private static async Task<Dictionary<string, object?>> RunAsync(FleetShape shape, int instances, TimeSpan idle, TimeSpan settle, TimeSpan timeout,
        TimeSpan deleteTimeout, CancellationToken ct)
    {
        var result = new Dictionary<string, object?>
        {
            ["bench"] = "scale",
            ["clusters"] = shape.Clusters,
            ["controlPlane"] = shape.ControlPlane,
            ["workers"] = shape.Workers,
            ["machines"] = shape.Machines,
            ["healthChecks"] = shape.HealthChecks,
            ["instances"] = instances,
            ["cores"] = Environment.ProcessorCount,
        };
        await using var run = await FleetRun.StartAsync(shape, instances, persistentStorage: false, ct);
        result["azuriteQueueSendReceiveDeletePerSecond"] = Math.Round(await EmulatorRates.RawQueueRateAsync(run.Env.Endpoints.StorageConnectionString, 500, ct), 1);
        result["azuriteTableUpsertsPerSecond"] = Math.Round(await EmulatorRates.RawTableRateAsync(run.Env.Endpoints.StorageConnectionString, 500, ct), 1);
        result["apiServerCreatesPerSecond"] = Math.Round(await ApiServerCeilingAsync(run, 500, ct), 1);

        var storage0 = await run.StorageRequestsAsync(ct);
        var api0 = await run.ApiRequestsAsync(ct);
        var clock = Stopwatch.StartNew();
        await run.ApplyAsync(ct);
        result["applySeconds"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
        // Polling lists every Cluster and Machine: at fleet scale that is load of its own on the API server, so poll
        // less often as the fleet grows (2 s up to 400 Machines, 10 s at 2,000 and more).
        var poll = TimeSpan.FromSeconds(Math.Clamp(shape.Machines / 200.0, 2, 10));
        var running = await run.WaitAllRunningAsync(timeout, poll,
            s => Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] clusters {s.ClustersAvailable}/{shape.Clusters} available · machines {s.Running}/{shape.Machines} running"), ct);
        result["allRunning"] = running is not null;
        var reached = running ?? await run.ReadAsync(ct);
        if (running is null)
        {
            // Not all there in time: say how far it got, and at what pace (the percentiles cover those that run).
            result["secondsWaited"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
            result["machinesRunningAtTimeout"] = reached.Running;
            result["clustersAvailableAtTimeout"] = reached.ClustersAvailable;
            result["machinesPerSecond"] = Math.Round(reached.Running / clock.Elapsed.TotalSeconds, 2);
        }
        else
        {
            result["secondsToAllRunning"] = Math.Round(clock.Elapsed.TotalSeconds, 1);
            result["machinesPerSecond"] = Math.Round(shape.Machines / clock.Elapsed.TotalSeconds, 2);
        }
        var latencies = reached.CreationToRunningSeconds().Order().ToList();
        result["creationToRunningP50Seconds"] = Percentile(latencies, 0.50);
        result["creationToRunningP99Seconds"] = Percentile(latencies, 0.99);
        var storage1 = await run.StorageRequestsAsync(ct);
        var api1 = await run.ApiRequestsAsync(ct);
        result["storageRequestsPerMachineToRunning"] = Math.Round((storage1.App - storage0.App) / (double)shape.Machines, 1);
        result["apiRequestsPerMachineToRunning"] = PerMachine(api1, api0, shape.Machines);
        result["eventsToRunning"] = await EventTally.ReadAsync(run, ct);

        if (idle > TimeSpan.Zero && running is not null)
        {
            // Timers set while provisioning (safety nets, probes) still fire for a while; steady state comes after.
            await Task.Delay(settle, ct);
            storage1 = await run.StorageRequestsAsync(ct);
            api1 = await run.ApiRequestsAsync(ct);
            var steps1 = await run.AppCountersAsync("scapi_workflow_steps_total", ct);
            // Standing idle is what is being measured here, not a wait for something to happen.
            var idleClock = Stopwatch.StartNew();
            await Task.Delay(idle, ct);
            var storage2 = await run.StorageRequestsAsync(ct);
            var api2 = await run.ApiRequestsAsync(ct);
            var hours = idleClock.Elapsed.TotalHours;
            result["idleStorageRequestsPerHourByResource"] = storage2.ByResource
                .Select(kv => (kv.Key, Value: kv.Value - storage1.ByResource.GetValueOrDefault(kv.Key)))
                .Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value).Take(8)
                .ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / hours));
            var steps2 = await run.AppCountersAsync("scapi_workflow_steps_total", ct);
            result["idleWorkflowStepsPerHour"] = steps2
                .Select(kv => (kv.Key, Value: kv.Value - steps1.GetValueOrDefault(kv.Key)))
                .Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value)
                .ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / hours));
            result["idleSeconds"] = Math.Round(idleClock.Elapsed.TotalSeconds, 1);
            result["idleStorageRequestsPerHour"] = Math.Round((storage2.App - storage1.App) / hours);
            result["idleApiRequestsPerMinute"] = Math.Round((api2.Values.Sum() - api1.Values.Sum()) / (hours * 60), 1);
        }

        var beforeDelete = Stopwatch.StartNew();
        result["allDeleted"] = await run.DeleteAllAsync(deleteTimeout, poll,
            s => Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] deleting · clusters {s.Clusters} and machines {s.Machines} left"), ct);
        result["secondsToDeleteAll"] = Math.Round(beforeDelete.Elapsed.TotalSeconds, 1);
        var storage3 = await run.StorageRequestsAsync(ct);
        var api3 = await run.ApiRequestsAsync(ct);
        result["storageRequestsPerMachineLifecycle"] = Math.Round((storage3.App - storage0.App) / (double)shape.Machines, 1);
        result["cloudStorageRequestsPerMachine"] = Math.Round((storage3.Cloud - storage0.Cloud) / (double)shape.Machines, 1);
        result["apiRequestsPerMachineLifecycle"] = PerMachine(api3, api0, shape.Machines);
        result["storageRequestsByResource"] = storage3.ByResource
            .Select(kv => (kv.Key, Value: kv.Value - storage0.ByResource.GetValueOrDefault(kv.Key)))
            .Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value).Take(12)
            .ToDictionary(kv => kv.Key, kv => kv.Value);
        result["workflowStepsPerMachine"] = PerMachineCounts(await run.AppCountersAsync("scapi_workflow_steps_total", ct), shape.Machines);
        result["signalsCoalescedPerMachine"] = PerMachineCounts(await run.AppCountersAsync("scapi_workflow_signals_coalesced_total", ct), shape.Machines);
        result["dispatchSignalsPerMachine"] = PerMachineCounts(await run.AppCountersAsync("scapi_dispatch_signals_total", ct), shape.Machines);
        // Events stay after their objects go (the namespace stays): the whole lifecycle's, deletion included.
        result["events"] = await EventTally.ReadAsync(run, ct);
        result["peakRssMiB"] = run.PeakRssMiB();
        return result;
    }

    /// <summary>Creates (8 at a time) and deletes <paramref name="count"/> small ConfigMaps: the server's own pace.</summary>
    private static async Task<double> ApiServerCeilingAsync(FleetRun run, int count, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) => await run.Kube.CreateAsync(new V1ConfigMap
            {
                Metadata = new V1ObjectMeta { Name = $"ceiling-{i}", NamespaceProperty = "default" },
                Data = new Dictionary<string, string> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
            }, token));
        var rate = count / clock.Elapsed.TotalSeconds;
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) => await run.Kube.DeleteAsync<V1ConfigMap>("default", $"ceiling-{i}", ct: token));
        lock (run.OwnRequests)
        {
            run.OwnRequests["create"] = run.OwnRequests.GetValueOrDefault("create") + count;
            run.OwnRequests["delete"] = run.OwnRequests.GetValueOrDefault("delete") + count;
        }
        return rate;
    }

    private static Dictionary<string, double> PerMachine(Dictionary<string, long> after, Dictionary<string, long> before, int machines) =>
        after.Where(kv => kv.Value - before.GetValueOrDefault(kv.Key) > 0)
            .ToDictionary(kv => kv.Key, kv => Math.Round((kv.Value - before.GetValueOrDefault(kv.Key)) / (double)machines, 2));

    private static Dictionary<string, double> PerMachineCounts(Dictionary<string, long> counts, int machines) =>
        counts.Where(kv => kv.Value > 0).OrderByDescending(kv => kv.Value)
            .ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / (double)machines, 1));

    private static double? Percentile(List<double> sorted, double q) =>
        sorted.Count == 0 ? null : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
}
