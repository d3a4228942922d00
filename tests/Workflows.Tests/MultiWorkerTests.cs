using System.Diagnostics;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;
using Xunit.Abstractions;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>Several TaskHubWorkers on one hub while partitions move between them: no change may go unseen, and no
/// object may be reconciled twice at once.</summary>
[Collection(nameof(WorkerProcessCollection))]
public sealed class MultiWorkerTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task No_wake_up_is_lost_while_partitions_move_between_workers(bool tablePartitions)
    {
        const int Objects = 200;
        var hub = Hubs.NewHub();
        var reconcile = new RecordingReconcile
        {
            // Some real work per run, so runs overlap with the moves.
            Script = async (_, _) =>
            {
                await Task.Delay(20);
                return ReconcileOutcome.Done;
            },
        };
        var keys = Enumerable.Range(0, Objects).Select(i => Hubs.Key($"m{i:D3}")).ToArray();
        var a = await Hubs.StartAsync(await Hubs.OptionsAsync(hub, "a", partitions: 4, tablePartitions), reconcile);
        var client = a.Client;

        async Task SignalAllAsync() =>
            await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, _) =>
            {
                reconcile.Bump(key);
                await client.SignalChangedAsync(key);
            });

        await SignalAllAsync();
        // A second worker joins: partitions start moving from a to b while changes keep coming.
        await using var b = await Hubs.StartAsync(await Hubs.OptionsAsync(hub, "b", partitions: 4, tablePartitions), reconcile);
        await SignalAllAsync();
        await SignalAllAsync();
        // The first worker leaves gracefully (its partitions move again) and a third joins.
        var moved = Stopwatch.StartNew();
        await a.StopAsync();
        await using var c = await Hubs.StartAsync(await Hubs.OptionsAsync(hub, "c", partitions: 4, tablePartitions), reconcile);
        client = b.Client;
        await SignalAllAsync();

        try
        {
            await WaitFor.ConditionAsync(
                () => keys.All(k => reconcile.Observed.GetValueOrDefault(k.DurableKey) == reconcile.Generation[k.DurableKey]),
                TimeSpan.FromMinutes(2), "every object to be reconciled after its last change");
        }
        catch (TimeoutException)
        {
            var behind = keys.Where(k => reconcile.Observed.GetValueOrDefault(k.DurableKey) != reconcile.Generation[k.DurableKey]).ToArray();
            output.WriteLine($"{behind.Length} objects behind, e.g. {behind[0].DurableKey} observed {reconcile.Observed.GetValueOrDefault(behind[0].DurableKey)}");
            foreach (var k in behind.Take(3))
            {
                var page = await client.QueryEntitiesAsync(Entity.ObjectReconcileEntity.IdFor(k).ToString(), 1, null);
                foreach (var e in page.Entities) output.WriteLine($"{e.InstanceId} locked={e.LockedBy} backlog={e.Backlog} state={e.SerializedState}");
            }
            throw;
        }
        output.WriteLine($"{(tablePartitions ? "table" : "lease")} partition manager: converged {moved.Elapsed.TotalSeconds:0.0} s after the first worker left; {reconcile.Calls.Values.Sum()} reconciles for {4 * Objects} signals");
        await a.DisposeAsync();
        reconcile.MaxConcurrentPerObject.ShouldBe(1);
        keys.ShouldAllBe(k => reconcile.Observed[k.DurableKey] == 4);
    }
}
