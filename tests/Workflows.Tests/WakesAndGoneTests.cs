using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Reconcile;
using Xunit.Abstractions;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>What an outcome does beyond the object itself: wakes of other objects, deletion of the durable state when
/// the object is gone, and the bounded timeline of what the reconciles said.</summary>
public sealed class WakesAndGoneTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Wakes_returned_with_an_outcome_make_the_other_objects_reconcile()
    {
        var owner = Hubs.Key("owner");
        var first = Hubs.Key("owned1");
        var second = Hubs.Key("owned2");
        var reconcile = new RecordingReconcile
        {
            Script = (key, _) => Task.FromResult(key == owner ? ReconcileOutcome.Done with { Wakes = [first, second] } : ReconcileOutcome.Done),
        };
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);
        await host.Client.SignalChangedAsync(owner);

        foreach (var woken in new[] { first, second })
        {
            var state = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(woken) is { Runs: 1 } s ? s : null, Timeout, $"{woken.Name} to be woken");
            // The key travels with the wake, and the run is a change's, not a requeue's.
            state.Key.ShouldBe(woken);
            reconcile.CallsOf(woken).ShouldBe(1);
            reconcile.ScheduledCallsOf(woken).ShouldBe(0);
        }
        reconcile.CallsOf(owner).ShouldBe(1);
        (await host.Client.GetStateAsync(owner))!.Runs.ShouldBe(1);
    }

    [Fact]
    public async Task Gone_deletes_the_entity_and_a_stale_wake_arriving_afterwards_leaves_nothing_behind()
    {
        var reconcile = new RecordingReconcile
        {
            Script = (_, call) => Task.FromResult(call == 1 ? ReconcileOutcome.RequeueAfter(TimeSpan.FromSeconds(3)) : ReconcileOutcome.Gone),
        };
        var hub = Hubs.NewHub();
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(hub), reconcile);
        var key = Hubs.Key("gone");
        var id = ObjectReconcileEntity.IdFor(key).ToString();
        await host.Client.SignalChangedAsync(key);
        var requeued = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(key) is { Runs: 1, WakeAt: not null } s ? s : null, Timeout, "the first run");
        (await host.Client.QueryEntitiesAsync(id, 10, null)).Entities.ShouldHaveSingleItem();

        // The object is found gone before its requeue is due.
        await host.Client.SignalChangedAsync(key);
        await WaitFor.ConditionAsync(async () => reconcile.CallsOf(key) == 2 && await host.Client.GetStateAsync(key) is null, Timeout, "the entity's deletion");
        (await host.Client.QueryEntitiesAsync(id, 10, null)).Entities.ShouldBeEmpty();

        // The requeue scheduled by the first run still arrives; once it has been processed nothing may be left.
        await WaitFor.ConditionAsync(async () => DateTimeOffset.UtcNow > requeued.WakeAt!.Value.AddSeconds(1) && await HubQueues.MessagesAsync(hub) == 0,
            Timeout, "the stale wake to arrive and be processed");
        (await host.Client.GetStateAsync(key)).ShouldBeNull();
        (await host.Client.QueryEntitiesAsync(id, 10, null)).Entities.ShouldBeEmpty();
        (await host.Client.QueryEntitiesAsync($"@{ObjectReconcileEntity.Name}@", 10, null)).Entities.ShouldBeEmpty();
        reconcile.CallsOf(key).ShouldBe(2);
    }

    [Fact]
    public async Task The_timeline_keeps_the_newest_entries_up_to_its_bound_and_records_failures()
    {
        const int Calls = ReconcileState.TimelineLength + 8;
        var reconcile = new RecordingReconcile
        {
            Script = (_, call) => call % 5 == 3
                ? throw new InvalidOperationException($"boom {call}")
                : Task.FromResult((call < Calls ? ReconcileOutcome.RequeueAfter(TimeSpan.Zero) : ReconcileOutcome.Done) with { Summary = $"run {call}" }),
        };
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);
        var key = Hubs.Key("timeline");
        await host.Client.SignalChangedAsync(key);

        var state = await WaitFor.ValueAsync(async () => await host.Client.GetStateAsync(key) is { } s && s.LastSummary == $"run {Calls}" ? s : null,
            Timeout, "the last run");
        output.WriteLine($"{state.Runs} runs, timeline of {state.Timeline.Count}");
        // Every call said something new (a summary, or a failure on every fifth call but never the last), so only the newest entries remain.
        var expected = Enumerable.Range(Calls - ReconcileState.TimelineLength + 1, ReconcileState.TimelineLength)
            .Select(call => call % 5 == 3 ? ($"InvalidOperationException: boom {call}", true) : ($"run {call}", false));
        state.Timeline.Select(e => (e.Note, e.Failed)).ShouldBe(expected);
        state.Timeline.Select(e => e.At).ShouldBeInOrder(SortDirection.Ascending);
        state.Runs.ShouldBe(Calls);
        state.Failures.ShouldBe(0);
    }
}
