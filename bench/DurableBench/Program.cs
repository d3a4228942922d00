using System.Diagnostics;
using System.Text.Json;
using ServerlessCapi.DurableBench;
using ServerlessCapi.Local;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;

// dotnet run -c Release --project bench/DurableBench -- [objects=1000] [rounds=1] [partitions=4] [modes=entity,orchestration]
// Modes: entity, orchestration, and the same with "-xs" (extended sessions).
var objects = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 1000;
var rounds = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1;
var partitions = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 4;
var modes = args.Length > 3 ? args[3].Split(',') : ["entity", "orchestration"];

await using var azurite = await AzuriteProcess.StartAsync();
var results = new List<BenchResult>();
for (var round = 1; round <= rounds; round++)
{
    foreach (var mode in modes)
    {
        var result = await RunAsync(mode, round);
        results.Add(result);
        Console.WriteLine(JsonSerializer.Serialize(result));
    }
}
foreach (var group in results.GroupBy(r => r.Mode))
{
    static double Median(IEnumerable<double> xs)
    {
        var s = xs.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }
    Console.WriteLine(JsonSerializer.Serialize(new
    {
        mode = group.Key,
        rounds = group.Count(),
        medianSeconds = Math.Round(Median(group.Select(r => r.Seconds)), 1),
        medianStepsPerSecond = Math.Round(Median(group.Select(r => r.StepsPerSecond)), 1),
        medianRequestsPerStep = Math.Round(Median(group.Select(r => r.RequestsPerStep)), 2),
    }));
}
return 0;

async Task<BenchResult> RunAsync(string mode, int round)
{
    var counter = new RequestCounter(azurite.BlobPort, azurite.QueuePort, azurite.TablePort);
    var reconcile = new FourStepReconcile(objects);
    var options = new DurableHostOptions
    {
        ConnectionString = azurite.ConnectionString,
        TaskHubName = $"bench{mode.Replace("-", "", StringComparison.Ordinal)}{round}",
        PartitionCount = partitions,
        WorkerId = "bench",
        StoragePolicy = counter,
        // "-xs" modes keep instances in memory between episodes (extended sessions).
        ExtendedSessions = mode.EndsWith("-xs", StringComparison.Ordinal),
    };
    var entity = mode.StartsWith("entity", StringComparison.Ordinal);
    await using var host = entity ? new DurableHost(options, reconcile) : new DurableHost(options);
    if (!entity)
    {
        host.AddOrchestrator(ObjectOrchestrator.Name, () => new ObjectOrchestrator());
        host.AddActivity(ObjectOrchestrator.ActivityName, () => new ReconcileActivity(reconcile));
    }
    await host.StartAsync();
    counter.Reset();
    var clock = Stopwatch.StartNew();
    await Parallel.ForEachAsync(Enumerable.Range(0, objects), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
    {
        var key = new ObjectKey("Machine", "bench", $"m{i:D5}", $"uid{i:D5}");
        if (entity) await host.Client.SignalChangedAsync(key);
        else await host.Client.StartAsync(ObjectOrchestrator.Name, $"Machine.{key.Uid}", new ObjectOrchestrator.Input(key, 0));
    });
    try
    {
        await reconcile.AllDone.WaitAsync(TimeSpan.FromMinutes(objects < 100 ? 1 : 30));
    }
    catch (TimeoutException)
    {
        // Show where the first object got stuck before giving up.
        var status = await host.Client.GetStatusAsync(entity ? "@objectreconcile@Machine.uid00000" : "Machine.uid00000", withHistory: true);
        Console.Error.WriteLine(JsonSerializer.Serialize(status));
        throw;
    }
    var elapsed = clock.Elapsed;
    var requests = counter.Total;
    await host.StopAsync();
    var steps = objects * FourStepReconcile.Steps;
    return new BenchResult(mode, round, objects, partitions, steps, Math.Round(elapsed.TotalSeconds, 1),
        Math.Round(steps / elapsed.TotalSeconds, 1), Math.Round(requests / (double)steps, 2), counter.Snapshot(), Environment.ProcessorCount);
}

internal sealed record BenchResult(string Mode, int Round, int Objects, int Partitions, int Steps, double Seconds, double StepsPerSecond,
    double RequestsPerStep, IReadOnlyDictionary<string, long> Requests, int Cores);
