using System.CommandLine;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.Cli.Bench;

/// <summary><c>scapi chaos</c>: the fleet of <c>bench scale</c> while app processes are killed with SIGKILL (and
/// optionally Azurite restarted and the API server paused); then the invariants a user relies on. One JSON line;
/// exit 1 when an invariant fails.</summary>
internal static class ChaosVerb
{
    public static Command Create()
    {
        var clusters = new Option<int>("--clusters") { Description = "Clusters to create.", DefaultValueFactory = _ => 10 };
        var workers = new Option<int>("--workers") { Description = "Workers per cluster.", DefaultValueFactory = _ => 3 };
        var cp = new Option<int>("--cp") { Description = "Control-plane Machines per cluster.", DefaultValueFactory = _ => 1 };
        var instances = new Option<int>("--instances") { Description = "App processes.", DefaultValueFactory = _ => 2 };
        var kills = new Option<int>("--kills") { Description = "SIGKILLs of a random app process.", DefaultValueFactory = _ => 20 };
        var boot = DurationOption.Create("--boot", "Simulated boot time of each VM, node, API server and etcd", TimeSpan.FromSeconds(1));
        var interval = DurationOption.Create("--interval", "Mean time between kills (uniform between half and one and a half of it)", TimeSpan.FromSeconds(3));
        var restartAzurite = new Option<bool>("--restart-azurite") { Description = "Also kill and restart Azurite (persistent) once, mid-run." };
        var pauseApiServer = new Option<bool>("--pause-apiserver") { Description = "Also pause the API server (SIGSTOP) for a minute, mid-run." };
        var timeout = DurationOption.Create("--timeout", "How long to wait for convergence after the last fault", TimeSpan.FromMinutes(10));
        var cmd = new Command("chaos", "Run a fleet while killing app processes; check every Machine runs once, nothing is orphaned or stuck.")
        {
            clusters, workers, cp, instances, kills, boot, interval, restartAzurite, pauseApiServer, timeout,
        };
        cmd.SetAction(async (p, ct) =>
        {
            var shape = new FleetShape(p.GetValue(clusters), p.GetValue(cp), p.GetValue(workers), "chaos", p.GetValue(boot));
            var result = await RunAsync(shape, Math.Max(1, p.GetValue(instances)), p.GetValue(kills), p.GetValue(interval),
                p.GetValue(restartAzurite), p.GetValue(pauseApiServer), p.GetValue(timeout), ct);
            Console.WriteLine(JsonSerializer.Serialize(result));
            return result["ok"] is true ? 0 : 1;
        });
        return cmd;
    }

    private static async Task<Dictionary<string, object?>> RunAsync(FleetShape shape, int instances, int kills, TimeSpan interval,
        bool restartAzurite, bool pauseApiServer, TimeSpan timeout, CancellationToken ct)
    {
        var result = new Dictionary<string, object?>
        {
            ["bench"] = "chaos",
            ["clusters"] = shape.Clusters,
            ["machines"] = shape.Machines,
            ["instances"] = instances,
        };
        await using var run = await FleetRun.StartAsync(shape, instances, persistentStorage: true, ct);
        var clock = Stopwatch.StartNew();
        await run.ApplyAsync(ct);

        var random = new Random();
        var faults = new List<string>();
        for (var k = 0; k < kills; k++)
        {
            await Task.Delay(interval * (0.5 + random.NextDouble()), ct);
            var apps = run.Env.Apps.Where(a => a.IsRunning).ToList();
            if (apps.Count == 0) continue;
            var victim = apps[random.Next(apps.Count)];
            victim.Kill();
            faults.Add($"{clock.Elapsed.TotalSeconds:0.0}s kill {victim.Name}");
            Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] killed {victim.Name}");
            if (restartAzurite && k == kills / 2)
            {
                foreach (var azurite in run.Env.Azurite) azurite.Kill();
                faults.Add($"{clock.Elapsed.TotalSeconds:0.0}s kill azurite");
            }
            if (pauseApiServer && k == kills / 3)
            {
                faults.Add($"{clock.Elapsed.TotalSeconds:0.0}s pause apiserver 60s");
                run.Env.ApiServer.SetPaused(true);
                // The pause is the fault itself: the API server hangs this long.
                await Task.Delay(TimeSpan.FromMinutes(1), ct);
                run.Env.ApiServer.SetPaused(false);
            }
        }
        var lastFault = clock.Elapsed;
        result["faults"] = faults.Count;
        var converged = await run.WaitAllRunningAsync(timeout, TimeSpan.FromSeconds(2),
            s => Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0}s] clusters {s.ClustersAvailable}/{shape.Clusters} available · machines {s.Running}/{shape.Machines} running"), ct);
        result["secondsToConvergeAfterLastFault"] = Math.Round((clock.Elapsed - lastFault).TotalSeconds, 1);

        var checks = await CheckInvariantsAsync(run, converged is not null, ct);
        result["invariants"] = checks;
        result["ok"] = checks.Values.All(v => v is true);
        result["faultLog"] = faults;
        return result;
    }

    private static async Task<Dictionary<string, object?>> CheckInvariantsAsync(FleetRun run, bool converged, CancellationToken ct)
    {
        var ns = run.Shape.Namespace;
        var checks = new Dictionary<string, object?> { ["everyMachineRunning"] = converged };
        var machines = await FleetState.ListAsync(run.Kube, "machines", ns, ct);
        var devMachines = await FleetState.ListAsync(run.Kube, "devmachines", ns, ct, "infrastructure.cluster.x-k8s.io");
        var configs = await FleetState.ListAsync(run.Kube, "kubeadmconfigs", ns, ct, "bootstrap.cluster.x-k8s.io");
        var machineUids = machines.Select(Uid).ToHashSet(StringComparer.Ordinal);
        static string Uid(JsonObject o) => o["metadata"]!["uid"]!.GetValue<string>();
        static string Name(JsonObject o) => o["metadata"]!["name"]!.GetValue<string>();
        static IEnumerable<string> Owners(JsonObject o) =>
            (o["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Where(r => r["kind"]?.GetValue<string>() == "Machine")
                .Select(r => r["uid"]!.GetValue<string>());

        checks["machineCount"] = machines.Count == run.Shape.Machines;
        checks["oneDevMachinePerMachine"] = machines.All(m => devMachines.Count(d => Owners(d).Contains(Uid(m))) == 1);
        checks["oneKubeadmConfigPerMachine"] = machines.All(m => configs.Count(c => Owners(c).Contains(Uid(m))) == 1);
        checks["noOrphans"] = devMachines.Concat(configs).All(o => Owners(o).Any(machineUids.Contains));

        var bootstrapOk = true;
        foreach (var c in configs)
        {
            if (c["status"]?["dataSecretName"]?.GetValue<string>() is not { } secret) bootstrapOk = false;
            else if (await run.Kube.GetAsync<k8s.Models.V1Secret>(ns, secret, ct) is null) bootstrapOk = false;
        }
        checks["oneBootstrapSecretPerMachine"] = bootstrapOk;

        var nodesOk = true;
        foreach (var cluster in machines.GroupBy(m => m["spec"]!["clusterName"]!.GetValue<string>()))
        {
            var kubeconfig = await run.Kube.GetAsync<k8s.Models.V1Secret>(ns, $"{cluster.Key}-kubeconfig", ct);
            if (kubeconfig?.Data is null || !kubeconfig.Data.TryGetValue("value", out var bytes))
            {
                nodesOk = false;
                continue;
            }
            using var workload = KubeApi.FromKubeconfigText(Encoding.UTF8.GetString(bytes));
            var nodes = (await workload.ListAsync<k8s.Models.V1Node>(null, ct: ct)).Select(n => n.Metadata.Name).Order(StringComparer.Ordinal).ToList();
            nodesOk &= nodes.SequenceEqual(cluster.Select(Name).Order(StringComparer.Ordinal));
        }
        checks["oneNodePerMachine"] = nodesOk;

        // Every object's entity: none may be parked by a terminal result or still failing.
        await using (var hub = new DurableHost(new DurableHostOptions { ConnectionString = run.Env.Endpoints.StorageConnectionString, EnableWorker = false }))
        {
            var failing = 0;
            string? continuation = null;
            do
            {
                var page = await hub.Client.QueryEntitiesAsync($"@{ObjectReconcileEntity.Name}@", 500, continuation, ct);
                failing += page.Entities.Count(e => e.SerializedState is { } s
                    && System.Text.Json.JsonSerializer.Deserialize<ReconcileState>(s) is { } state && (state.TerminalReason is not null || state.Failures > 0));
                continuation = page.ContinuationToken;
            }
            while (continuation is not null);
            checks["noFailedReconcile"] = failing == 0;
        }

        var poisoned = 0;
        var queues = new QueueServiceClient(run.Env.Endpoints.StorageConnectionString);
        await foreach (var q in queues.GetQueuesAsync(cancellationToken: ct))
        {
            if (!q.Name.EndsWith("-poison", StringComparison.Ordinal)) continue;
            poisoned += (await queues.GetQueueClient(q.Name).GetPropertiesAsync(ct)).Value.ApproximateMessagesCount;
        }
        checks["noPoisonMessages"] = poisoned == 0;
        return checks;
    }
}
