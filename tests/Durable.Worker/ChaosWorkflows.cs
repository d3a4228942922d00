using Azure.Data.Tables;
using ServerlessCapi.Durable;

namespace ServerlessCapi.Durable.TestWorker;

/// <summary>A parent with a few steps, a durable timer, an idempotent side effect (a marker row), outbox signals
/// to sinks that count them non-idempotently, and a child that signals back.</summary>
public sealed class ChaosParent(TableClient effects, string workerId, TimeSpan timer) : Workflow<ChaosParentState>
{
    public const string WorkflowName = "ChaosParent";

    public override string Name => WorkflowName;

    public static string SinkOf(string instanceId) => $"sink/{(uint)instanceId.GetHashCode(StringComparison.Ordinal) % 10}";

    public override async Task<StepResult<ChaosParentState>> RunAsync(WorkflowContext<ChaosParentState> context, WorkflowEvent e, CancellationToken ct)
    {
        var s = context.State;
        switch (s.Phase, e.Kind)
        {
            case ("", WorkflowEventKind.Started):
                await MarkAsync(context.InstanceId, "a", ct);
                s.Phase = "A";
                s.Steps++;
                context.SendSignal(SinkOf(context.InstanceId), "hit", $"{context.InstanceId}:1", startWorkflow: ChaosSink.WorkflowName);
                s.Deadline = context.Now + timer;
                return StepResult<ChaosParentState>.Continue(s, Wait.ForSignalOrUntil(s.Deadline), "A");
            case ("A", WorkflowEventKind.TimerFired):
                // Some instances fail their first attempt at this step, to exercise retries under crashes too.
                if (context.FailedAttempts == 0 && context.InstanceId.EndsWith('7')) throw new InvalidOperationException("first attempt fails");
                await MarkAsync(context.InstanceId, "b", ct);
                s.Phase = "B";
                s.Steps++;
                context.SendSignal(SinkOf(context.InstanceId), "hit", $"{context.InstanceId}:2", startWorkflow: ChaosSink.WorkflowName);
                context.StartInstance(ChaosChild.WorkflowName, $"child/{context.InstanceId}", context.InstanceId);
                return StepResult<ChaosParentState>.Continue(s, Wait.ForSignal, "B");
            case ("B", WorkflowEventKind.Signal) when e.Name == "done":
                s.Phase = "C";
                s.Steps++;
                return StepResult<ChaosParentState>.Complete(s, "C");
            default:
                // Never expected: a duplicate or stale event that got through would land here.
                s.Unexpected.Add($"{s.Phase}:{e.Kind}:{e.Name}");
                return StepResult<ChaosParentState>.Continue(s, s.Phase == "A" ? Wait.ForSignalOrUntil(s.Deadline) : Wait.ForSignal);
        }
    }

    private async Task MarkAsync(string instanceId, string step, CancellationToken ct) =>
        await effects.UpsertEntityAsync(new TableEntity(Uri.EscapeDataString(instanceId), step) { ["Worker"] = workerId }, TableUpdateMode.Replace, ct);
}

public sealed class ChaosParentState
{
    public string Phase { get; set; } = "";
    public int Steps { get; set; }
    public DateTimeOffset Deadline { get; set; }
    public List<string> Unexpected { get; set; } = [];
}

/// <summary>Started by its parent; signals it back once.</summary>
public sealed class ChaosChild : Workflow<ChaosParentState>
{
    public const string WorkflowName = "ChaosChild";

    public override string Name => WorkflowName;

    public override Task<StepResult<ChaosParentState>> RunAsync(WorkflowContext<ChaosParentState> context, WorkflowEvent e, CancellationToken ct)
    {
        context.State.Steps++;
        context.SendSignal(context.Input!, "done");
        return Task.FromResult(StepResult<ChaosParentState>.Complete(context.State));
    }
}

/// <summary>Counts every signal it gets, non-idempotently: a count above one means an effect was applied twice.</summary>
public sealed class ChaosSink : Workflow<ChaosSinkState>
{
    public const string WorkflowName = "ChaosSink";

    public override string Name => WorkflowName;

    public override Task<StepResult<ChaosSinkState>> RunAsync(WorkflowContext<ChaosSinkState> context, WorkflowEvent e, CancellationToken ct)
    {
        if (e.Kind == WorkflowEventKind.Signal) context.State.Hits[e.Payload ?? ""] = context.State.Hits.GetValueOrDefault(e.Payload ?? "") + 1;
        return Task.FromResult(StepResult<ChaosSinkState>.Continue(context.State, Wait.ForSignal));
    }
}

public sealed class ChaosSinkState
{
    public Dictionary<string, int> Hits { get; set; } = [];
}
