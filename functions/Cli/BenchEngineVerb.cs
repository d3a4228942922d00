using System.Collections.Concurrent;
using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using ServerlessCapi.Durable;
using ServerlessCapi.Local;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi bench engine</c>: the workflow engine's throughput on a fresh Azurite, next to the emulator's
/// own ceiling measured in the same run. Prints one JSON line.</summary>
internal static class BenchEngineVerb
{
    public static Command Create()
    {
        var instances = new Option<int>("--instances") { Description = "Workflow instances to run.", DefaultValueFactory = _ => 1000 };
        var workers = new Option<int>("--workers") { Description = "Workers (in this process, each with its own leases and cache).", DefaultValueFactory = _ => 1 };
        var partitions = new Option<int>("--partitions") { Description = "Control-queue partitions.", DefaultValueFactory = _ => 4 };
        var engine = new Command("engine", "Run N instances of a 4-step workflow with a durable timer and report steps/s, latency and storage calls per step.")
        {
            instances, workers, partitions,
        };
        engine.SetAction(async (parse, ct) =>
        {
            var result = await RunAsync(parse.GetValue(instances), parse.GetValue(workers), parse.GetValue(partitions), ct);
            Console.WriteLine(JsonSerializer.Serialize(result));
            return 0;
        });
        var bench = new Command("bench", "Benchmarks (not part of the test command).") { engine, Bench.ScaleBench.Create() };
        return bench;
    }

    private static async Task<Dictionary<string, object>> RunAsync(int instances, int workerCount, int partitions, CancellationToken ct)
    {
        await using var azurite = await AzuriteProcess.StartAsync(ct: ct);
        var cs = azurite.ConnectionString;
        var (queueRate, tableRate) = (await RawQueueRateAsync(cs, 1000, ct), await RawTableRateAsync(cs, 1000, ct));

        var counter = new StorageOperationCounter();
        var latencies = new ConcurrentBag<double>();
        var hosts = new List<ServiceProvider>();
        for (var w = 0; w < workerCount; w++)
        {
            hosts.Add(Build(cs, partitions, $"bench-{w}", counter, m =>
            {
                if (m.Latency is { } l) latencies.Add(l.TotalMilliseconds);
            }, worker: true));
        }
        // A separate, uncounted client watches for completion, so polling does not count as engine work.
        await using var watcher = Build(cs, partitions, "watcher", null, null, worker: false);
        foreach (var h in hosts)
        {
            foreach (var s in h.GetServices<IHostedService>()) await s.StartAsync(ct);
        }
        var client = hosts[0].GetRequiredService<IWorkflowClient>();
        await client.ListAsync(new InstanceQuery(PageSize: 1), ct); // creates the hub's resources before timing
        await Task.Delay(TimeSpan.FromSeconds(2), ct); // let workers take their partition leases
        counter.Reset();

        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, instances), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, token) => await client.StartAsync(BenchWorkflow.WorkflowName, $"bench/{i:D6}", ct: token));
        var watch = watcher.GetRequiredService<IWorkflowClient>();
        while (await CountCompletedAsync(watch, ct) < instances) await Task.Delay(TimeSpan.FromMilliseconds(500), ct);
        var elapsed = clock.Elapsed;
        var ops = counter.Snapshot();
        var total = counter.Total;

        foreach (var h in hosts)
        {
            foreach (var s in h.GetServices<IHostedService>()) await s.StopAsync(CancellationToken.None);
            await h.DisposeAsync();
        }
        var steps = instances * BenchWorkflow.StepsPerInstance;
        var sorted = latencies.Order().ToArray();
        return new Dictionary<string, object>
        {
            ["bench"] = "engine",
            ["instances"] = instances,
            ["workers"] = workerCount,
            ["partitions"] = partitions,
            ["steps"] = steps,
            ["seconds"] = Round(elapsed.TotalSeconds),
            ["stepsPerSecond"] = Round(steps / elapsed.TotalSeconds),
            ["stepLatencyP50Ms"] = Round(Percentile(sorted, 0.50)),
            ["stepLatencyP99Ms"] = Round(Percentile(sorted, 0.99)),
            ["storageOpsPerStep"] = Round(total / (double)steps),
            ["storageOps"] = ops,
            ["azuriteQueueSendReceiveDeletePerSecond"] = Round(queueRate),
            ["azuriteTableUpsertsPerSecond"] = Round(tableRate),
            ["cores"] = Environment.ProcessorCount,
        };
    }

    private static ServiceProvider Build(string cs, int partitions, string workerId, StorageOperationCounter? counter, Action<StepMetrics>? onStep, bool worker)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDurableWorkflows(o =>
        {
            o.ConnectionString = cs;
            o.HubName = "bench";
            o.PartitionCount = partitions;
            o.WorkerId = workerId;
            o.EnableWorker = worker;
            o.OperationCounter = counter;
            o.OnStepCommitted = onStep;
            o.MaxPollingInterval = TimeSpan.FromSeconds(1);
        }).AddWorkflow(new BenchWorkflow());
        return services.BuildServiceProvider();
    }

    private static async Task<int> CountCompletedAsync(IWorkflowClient client, CancellationToken ct)
    {
        var n = 0;
        string? token = null;
        do
        {
            var page = await client.ListAsync(new InstanceQuery([RuntimeStatus.Completed], "bench/", PageSize: 1000, ContinuationToken: token), ct);
            n += page.Instances.Count;
            token = page.ContinuationToken;
        }
        while (token is not null);
        return n;
    }

    /// <summary>The emulator's plain queue rate: send, then receive in batches of 32 and delete each.</summary>
    internal static async Task<double> RawQueueRateAsync(string cs, int messages, CancellationToken ct)
    {
        var queue = new QueueClient(cs, "ceiling");
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, token) => await queue.SendMessageAsync($"m{i}", token));
        var received = 0;
        while (received < messages)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), ct)).Value;
            await Parallel.ForEachAsync(batch, ct, async (m, token) => await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, token));
            received += batch.Length;
        }
        return messages / clock.Elapsed.TotalSeconds;
    }

    internal static async Task<double> RawTableRateAsync(string cs, int rows, CancellationToken ct)
    {
        var table = new TableClient(cs, "Ceiling");
        await table.CreateIfNotExistsAsync(ct);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, rows), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, token) => await table.UpsertEntityAsync(new TableEntity($"p{i % 100}", $"r{i}") { ["Value"] = i }, TableUpdateMode.Replace, token));
        return rows / clock.Elapsed.TotalSeconds;
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];

    private static double Round(double v) => Math.Round(v, 2, MidpointRounding.AwayFromZero);

    /// <summary>Four steps: start, a 1 s durable timer, then two signals the instance sends itself (outbox).</summary>
    private sealed class BenchWorkflow : Workflow<BenchState>
    {
        public const string WorkflowName = "Bench";
        public const int StepsPerInstance = 4;

        public override string Name => WorkflowName;

        public override Task<StepResult<BenchState>> RunAsync(WorkflowContext<BenchState> context, WorkflowEvent e, CancellationToken ct)
        {
            var s = context.State;
            s.Steps++;
            switch (e.Kind)
            {
                case WorkflowEventKind.Started:
                    return Task.FromResult(StepResult<BenchState>.Continue(s, Wait.ForSignalOrUntil(context.Now.AddSeconds(1))));
                case WorkflowEventKind.TimerFired:
                    context.SendSignal(context.InstanceId, "go");
                    return Task.FromResult(StepResult<BenchState>.Continue(s, Wait.ForSignal));
                case WorkflowEventKind.Signal when e.Name == "go":
                    context.SendSignal(context.InstanceId, "finish");
                    return Task.FromResult(StepResult<BenchState>.Continue(s, Wait.ForSignal));
                default:
                    return Task.FromResult(StepResult<BenchState>.Complete(s, s.Steps.ToString(CultureInfo.InvariantCulture)));
            }
        }
    }

    private sealed class BenchState
    {
        public int Steps { get; set; }
    }
}
