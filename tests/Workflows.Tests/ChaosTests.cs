using System.Diagnostics;
using Azure.Data.Tables;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Hosting;
using Xunit.Abstractions;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>Three worker processes share one hub and are killed with SIGKILL at random points while a fleet of objects
/// is reconciled step by step. Each step's effect is a conditionally created, deterministically named row (an
/// infrastructure call fenced by its name), so the storage state afterwards says whether any step was lost or
/// applied twice, and the entity states say whether any object was left failing, terminal or with a wake pending.</summary>
[Collection(nameof(WorkerProcessCollection))]
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int Objects = 40;
    private const int Steps = 4;
    private const int Kills = 4;

    [Fact]
    public async Task Workers_killed_at_random_points_leave_every_object_at_its_last_step_with_each_step_applied_once()
    {
        var hub = Hubs.NewHub();
        var effects = new TableClient(await SharedAzurite.ConnectionStringAsync(), $"{hub}effects");
        await effects.CreateIfNotExistsAsync();
        await using var client = new DurableHost(new DurableHostOptions
        {
            ConnectionString = await SharedAzurite.ConnectionStringAsync(),
            TaskHubName = hub,
            PartitionCount = 4,
            EnableWorker = false,
        });
        await client.StartAsync();
        var seed = Environment.TickCount;
        var random = new Random(seed);
        output.WriteLine($"hub {hub}, seed {seed}");
        // As Hubs.OptionsAsync: table partition manager with 6 s claims; a short visibility timeout so a killed
        // worker's messages come back quickly.
        var settings = new Dictionary<string, string>
        {
            ["SCAPI_WORKER_MODE"] = "steps",
            ["SCAPI_WORKER_HUB"] = hub,
            ["SCAPI_WORKER_PARTITIONS"] = "4",
            ["SCAPI_WORKER_VISIBILITY_SECONDS"] = "10",
            ["SCAPI_WORKER_CLAIM_SECONDS"] = "6",
            ["SCAPI_WORKER_EFFECTS_TABLE"] = effects.Name,
            ["SCAPI_WORKER_STEPS"] = $"{Steps}",
            ["SCAPI_WORKER_STEP_WORK_MS"] = "1000",
        };
        var keys = Enumerable.Range(0, Objects).Select(i => Hubs.Key($"chaos{i:D2}")).ToArray();
        var workers = new ChildWorker[3];
        var clock = Stopwatch.StartNew();
        var appliedAtFirstKill = -1;
        try
        {
            for (var i = 0; i < workers.Length; i++) workers[i] = await ChildWorker.StartAsync($"w{i + 1}", settings);
            foreach (var worker in workers) await worker.ReadyAsync(TimeSpan.FromSeconds(60));
            // Work starts once the partitions are spread over all three, so the kills hit workers that hold work
            // (the first worker up would otherwise run the whole fleet while the others sit idle).
            await WaitFor.ConditionAsync(async () => (await OwnersAsync(hub)).Values.Distinct().Count() == workers.Length,
                TimeSpan.FromSeconds(60), "the partitions to be spread over the three workers");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: three workers ready and owning partitions");
            await client.Client.SignalChangedAsync(keys, CancellationToken.None);
            for (var kill = 1; kill <= Kills; kill++)
            {
                // Random fault timing, not synchronisation: each kill lands wherever the workers happen to be.
                await Task.Delay(TimeSpan.FromMilliseconds(kill == 1 ? random.Next(500, 2_000) : random.Next(1_000, 3_000)));
                var slot = random.Next(workers.Length);
                var applied = (await ReadAsync(effects)).Steps.Values.Sum(s => s.Count);
                if (kill == 1) appliedAtFirstKill = applied;
                var owned = (await OwnersAsync(hub)).Where(o => o.Value == workers[slot].Id).Select(o => o.Key);
                await workers[slot].KillAsync();
                output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killed {workers[slot].Id} (owning {string.Join(", ", owned)}) with {applied}/{Objects * Steps} steps applied");
                await workers[slot].DisposeAsync();
                workers[slot] = await ChildWorker.StartAsync($"w{slot + 1}.{kill}", settings);
            }
            var lastKill = clock.Elapsed;
            await WaitFor.ConditionAsync(async () => (await ReadAsync(effects)).Steps is var s && s.Count == Objects && s.Values.All(v => v.Count >= Steps),
                TimeSpan.FromSeconds(75), "every object to reach its last step");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: every object at step {Steps}, {(clock.Elapsed - lastKill).TotalSeconds:0.0} s after the last kill");
            // A killed worker's dequeued messages reappear after the visibility timeout and must be processed (and
            // deleted) by the others; nothing may stay behind, retried as poison.
            await WaitFor.ConditionAsync(async () => await HubQueues.MessagesAsync(hub) == 0, TimeSpan.FromSeconds(45), "the hub's queues to drain");
            output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the hub's queues are empty");
        }
        catch (TimeoutException)
        {
            foreach (var (name, messages) in await HubQueues.CountsAsync(hub)) output.WriteLine($"queue {name}: {messages}");
            // Who owns which partition, as the table partition manager records it.
            await foreach (var row in new TableClient(await SharedAzurite.ConnectionStringAsync(), $"{hub}Partitions").QueryAsync<TableEntity>())
                output.WriteLine($"partition {row.RowKey}: {string.Join(", ", row.Where(p => p.Key is not ("odata.etag" or "PartitionKey" or "RowKey")).Select(p => $"{p.Key}={p.Value}"))}");
            var (applied, _) = await ReadAsync(effects);
            foreach (var key in keys.Where(k => applied.GetValueOrDefault(k.DurableKey)?.Count != Steps).Take(5))
            {
                var page = await client.Client.QueryEntitiesAsync(Entity.ObjectReconcileEntity.IdFor(key).ToString(), 1, null);
                foreach (var e in page.Entities) output.WriteLine($"behind: {e.InstanceId} locked={e.LockedBy} backlog={e.Backlog} modified={e.LastModifiedAt:HH:mm:ss.fff} state={e.SerializedState}");
            }
            foreach (var worker in workers.Where(w => w is not null)) output.WriteLine($"--- {worker.Id}\n{worker.Tail}");
            throw;
        }
        finally
        {
            foreach (var worker in workers.Where(w => w is not null)) await worker.DisposeAsync();
        }

        var (steps, runs) = await ReadAsync(effects);
        output.WriteLine($"{runs.Count} reconciles logged by {runs.Select(r => r.Worker).Distinct().Count()} processes; " +
            $"{runs.Count(r => r.Fenced)} step creates fenced by an existing row; steps applied by {string.Join(", ", steps.Values.SelectMany(s => s).GroupBy(s => s.Worker).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"))}");
        appliedAtFirstKill.ShouldBeLessThan(Objects * Steps, "the first kill came while the fleet was still running");
        steps.Keys.Order().ShouldBe(keys.Select(k => k.DurableKey).Order());
        foreach (var key in keys)
        {
            // Exactly steps 1..4: none missing, none applied twice (the name fences it), none beyond the last.
            steps[key.DurableKey].Select(s => s.Name).Order().ShouldBe(Enumerable.Range(1, Steps).Select(n => $"step-{n}"), key.DurableKey);
            var state = await client.Client.GetStateAsync(key);
            state.ShouldNotBeNull(key.DurableKey);
            state.Key.ShouldBe(key);
            state.Failures.ShouldBe(0, key.DurableKey);
            state.LastError.ShouldBeNull(key.DurableKey);
            state.TerminalReason.ShouldBeNull(key.DurableKey);
            state.WakeAt.ShouldBeNull(key.DurableKey);
            state.LastSummary.ShouldBe($"at step {Steps}", key.DurableKey);
        }
        steps.Values.SelectMany(s => s).Select(s => s.Worker).Distinct().Count().ShouldBeGreaterThanOrEqualTo(2, "work was spread over several processes");
        (await HubQueues.CountsAsync(hub)).ShouldNotContain(q => q.Name.Contains("poison", StringComparison.Ordinal));
    }

    /// <summary>Partition name → current owner, as the table partition manager records it.</summary>
    private static async Task<Dictionary<string, string>> OwnersAsync(string hub)
    {
        var owners = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var row in new TableClient(await SharedAzurite.ConnectionStringAsync(), $"{hub}Partitions").QueryAsync<TableEntity>())
            if (row.GetString("CurrentOwner") is { Length: > 0 } owner) owners[row.RowKey] = owner;
        return owners;
    }

    private sealed record RunRow(string Worker, int Step, bool Fenced);

    /// <summary>The effects table: per object, its step rows (name and the worker that created it), and the run log.</summary>
    private static async Task<(Dictionary<string, List<(string Name, string Worker)>> Steps, List<RunRow> Runs)> ReadAsync(TableClient effects)
    {
        var steps = new Dictionary<string, List<(string Name, string Worker)>>(StringComparer.Ordinal);
        var runs = new List<RunRow>();
        await foreach (var row in effects.QueryAsync<TableEntity>())
        {
            var worker = row.GetString("Worker") ?? "";
            if (row.RowKey.StartsWith("step-", StringComparison.Ordinal))
            {
                if (!steps.TryGetValue(row.PartitionKey, out var list)) steps[row.PartitionKey] = list = [];
                list.Add((row.RowKey, worker));
            }
            else
            {
                runs.Add(new RunRow(worker, row.GetInt32("Step") ?? 0, row.GetBoolean("Fenced") ?? false));
            }
        }
        return (steps, runs);
    }
}
