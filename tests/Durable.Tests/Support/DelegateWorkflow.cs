using ServerlessCapi.Durable;

namespace ServerlessCapi.Durable.Tests.Support;

/// <summary>A workflow written as a lambda, for engine tests.</summary>
public sealed class DelegateWorkflow<TState>(
    string name, Func<WorkflowContext<TState>, WorkflowEvent, StepResult<TState>> step, bool startOnSignal = true)
    : Workflow<TState> where TState : class, new()
{
    private int _runs;

    public override string Name => name;

    public override bool StartOnSignal => startOnSignal;

    /// <summary>How many times a step ran (at least once per event: retries and lost races run it again).</summary>
    public int Runs => Volatile.Read(ref _runs);

    public override Task<StepResult<TState>> RunAsync(WorkflowContext<TState> context, WorkflowEvent e, CancellationToken ct)
    {
        Interlocked.Increment(ref _runs);
        return Task.FromResult(step(context, e));
    }
}

/// <summary>State of the counting workflows used across tests.</summary>
public sealed class CountState
{
    public int Steps { get; set; }
    public int Timers { get; set; }
    public List<string> Signals { get; set; } = [];
    public List<string> Payloads { get; set; } = [];
}
