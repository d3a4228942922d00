using Azure.Data.Tables;
using Azure.Storage.Queues;
using ServerlessCapi.Durable.Tests.Support;
using ServerlessCapi.Durable.TestWorker;

namespace ServerlessCapi.Durable.Tests.Chaos;

/// <summary>Runs the chaos workload's instances and checks its invariants once they are done.</summary>
internal static class ChaosVerifier
{
    public static string ParentId(int i) => $"chaos/{i:D3}";

    public static async Task StartAllAsync(IWorkflowClient client, int count)
    {
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 },
            async (i, ct) => (await client.StartAsync(ChaosParent.WorkflowName, ParentId(i), ct: ct)).ShouldBeTrue());
    }

    public static async Task WaitForAllCompletedAsync(IWorkflowClient client, int count, TimeSpan timeout, Func<string> diagnostics)
    {
        var done = 0;
        // Listing scans the table: poll about once a second so the check does not compete with the workers.
        await WaitFor.ConditionAsync(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            return (done = await CountAsync(client, "chaos/", RuntimeStatus.Completed)) == count;
        }, timeout, $"all {count} parents to complete (so far {done})\n{diagnostics()}");
        await WaitFor.ConditionAsync(async () => await CountAsync(client, "child/", RuntimeStatus.Completed) == count, timeout, "all children");
    }

    /// <summary>Every parent ran exactly its three steps, every outbox signal was counted exactly once by its sink,
    /// and every idempotent side effect is in place.</summary>
    public static async Task AssertInvariantsAsync(EngineHarness engine, string connectionString, string hub, int count)
    {
        var sinkHits = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var s = 0; s < 10; s++)
        {
            if (await engine.Client.GetStatusAsync($"sink/{s}") is null) continue;
            foreach (var (payload, hits) in (await engine.StateAsync<ChaosSinkState>($"sink/{s}")).Hits) sinkHits[payload] = sinkHits.GetValueOrDefault(payload) + hits;
        }
        var expected = Enumerable.Range(0, count).SelectMany(i => new[] { $"{ParentId(i)}:1", $"{ParentId(i)}:2" }).Order().ToList();
        sinkHits.Keys.Order().ShouldBe(expected);
        sinkHits.Where(kv => kv.Value != 1).Select(kv => $"{kv.Key}={kv.Value}").ShouldBeEmpty("every signal counted exactly once");

        var effects = new TableClient(connectionString, $"{hub}Effects");
        var markers = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in effects.QueryAsync<TableEntity>()) markers.Add($"{Uri.UnescapeDataString(e.PartitionKey)}:{e.RowKey}");

        for (var i = 0; i < count; i++)
        {
            var id = ParentId(i);
            var state = await engine.StateAsync<ChaosParentState>(id);
            state.Unexpected.ShouldBeEmpty($"{id} saw no stale or duplicate event");
            state.Steps.ShouldBe(3, $"{id} committed each step once");
            var history = (await engine.Client.GetStatusAsync(id, showHistory: true))!.History!;
            history.Where(h => h.Event is not "StepFailed").Select(h => h.Event).ShouldBe(["Created", "Started", "TimerFired", "Signal:done"], id);
            markers.ShouldContain($"{id}:a");
            markers.ShouldContain($"{id}:b");
        }

        var poison = new QueueClient(connectionString, $"{hub}-control-poison");
        (await poison.GetPropertiesAsync()).Value.ApproximateMessagesCount.ShouldBe(0, "nothing was poisoned");
    }

    /// <summary>Workers that announced themselves in the hub's worker table.</summary>
    public static async Task<int> WorkersAsync(string connectionString, string hub)
    {
        var workers = new TableClient(connectionString, $"{hub}Workers");
        var n = 0;
        try
        {
            await foreach (var _ in workers.QueryAsync<TableEntity>()) n++;
        }
        catch (Azure.RequestFailedException e) when (e.Status == 404)
        {
            return 0; // Not created yet.
        }
        return n;
    }

    public static async Task<HashSet<string>> MarkerWritersAsync(string connectionString, string hub)
    {
        var effects = new TableClient(connectionString, $"{hub}Effects");
        var writers = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var e in effects.QueryAsync<TableEntity>()) writers.Add(e.GetString("Worker") ?? "");
        return writers;
    }

    private static async Task<int> CountAsync(IWorkflowClient client, string prefix, RuntimeStatus status)
    {
        var n = 0;
        string? token = null;
        do
        {
            var page = await client.ListAsync(new InstanceQuery([status], prefix, PageSize: 1000, ContinuationToken: token));
            n += page.Instances.Count;
            token = page.ContinuationToken;
        }
        while (token is not null);
        return n;
    }
}
