using Azure.Data.Tables;
using ServerlessCapi.Durable.Tests.Support;

namespace ServerlessCapi.Durable.Tests.Storage;

public class StorageLifecycleTests
{
    internal static DelegateWorkflow<CountState> TimerThenSignal(TimeSpan? timer = null) => new("Flow", (ctx, e) =>
    {
        var s = ctx.State;
        s.Steps++;
        switch (e.Kind)
        {
            case WorkflowEventKind.Started:
                return StepResult<CountState>.Continue(s, Wait.ForSignalOrUntil(ctx.Now + (timer ?? TimeSpan.FromMilliseconds(500))), "waiting-timer");
            case WorkflowEventKind.TimerFired:
                s.Timers++;
                return StepResult<CountState>.Continue(s, Wait.ForSignal, "waiting-signal");
            default:
                s.Signals.Add(e.Name!);
                s.Payloads.Add(e.Payload ?? "");
                return e.Name == "finish" ? StepResult<CountState>.Complete(s, "done") : StepResult<CountState>.Continue(s, Wait.ForSignal);
        }
    });

    [Fact]
    public async Task An_instance_runs_to_completion_and_its_rows_are_one_partition_with_history_and_dedup_in_the_instance_row()
    {
        var hub = EngineHarness.NewHub();
        await using var engine = await EngineHarness.StartAsync(hub, [TimerThenSignal()]);
        const string id = "Machine/3f1c#a?b\\c";
        (await engine.Client.StartAsync("Flow", id, "{\"n\":1}")).ShouldBeTrue();
        (await engine.Client.StartAsync("Flow", id)).ShouldBeFalse();

        await WaitFor.ConditionAsync(async () => (await engine.Client.GetStatusAsync(id))?.CustomStatus == "waiting-signal",
            TimeSpan.FromSeconds(20), "the timer to fire");
        await engine.Client.RaiseEventAsync(id, "finish", "\"bye\"", messageId: "m-1");
        var status = await engine.WaitForStatusAsync(id, RuntimeStatus.Completed);

        status.Input.ShouldBe("{\"n\":1}");
        (await engine.StateAsync<CountState>(id)).Steps.ShouldBe(3);
        var history = (await engine.Client.GetStatusAsync(id, showHistory: true))!.History!;
        history.Select(h => h.Event).ShouldBe(["Created", "Started", "TimerFired", "Signal:finish"]);

        var table = new TableClient(await SharedAzurite.ConnectionStringAsync(), $"{hub}Instances");
        var rows = new List<TableEntity>();
        await foreach (var e in table.QueryAsync<TableEntity>()) rows.Add(e);
        rows.Select(r => r.PartitionKey).Distinct().ShouldBe(["Machine%2F3f1c%23a%3Fb%5Cc"]);
        rows.Count(r => r.RowKey == "instance").ShouldBe(1);
        rows.Count(r => r.RowKey.StartsWith("~history:", StringComparison.Ordinal)).ShouldBe(4);
        rows.ShouldNotContain(r => r.RowKey.StartsWith("outbox:", StringComparison.Ordinal));
        var row = rows.Single(r => r.RowKey == "instance");
        // The dedup memory lives in the instance row, so a step reads one row by its keys.
        row.GetBoolean("DedupInRow").ShouldBe(true);
        row.GetString("Dedup").ShouldContain("m-1");
        rows.ShouldNotContain(r => r.RowKey.StartsWith("msg:", StringComparison.Ordinal));
        row.GetString("RuntimeStatus").ShouldBe("Completed");
        row.GetInt64("Version").ShouldBe(4);
        row.GetString("WorkflowName").ShouldBe("Flow");
    }
}
