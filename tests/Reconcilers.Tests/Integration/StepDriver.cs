using ServerlessCapi.Durable;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>Runs one reconciler's steps by hand, hosted as the engine hosts it, against the real API server (no engine): each call is one
/// step with the state the previous one committed, and the signals it sent are recorded.</summary>
public sealed class StepDriver(IObjectReconciler reconciler, ObjectKey key)
{
    private readonly ObjectWorkflow<IObjectReconciler> _workflow = new(reconciler);

    private readonly Context _context = new(key);

    public ObjectState State => _context.State;

    public List<(string InstanceId, string Name, string? Payload)> Signals => _context.Signals;

    /// <summary>The last step's outcome and wait.</summary>
    public StepResult<ObjectState>? Last { get; private set; }

    /// <summary>One step, woken by a change (or, with <paramref name="timer"/>, by its own timer).</summary>
    public async Task<StepResult<ObjectState>> StepAsync(bool timer = false)
    {
        var e = _context.Steps++ == 0
            ? new WorkflowEvent(WorkflowEventKind.Started, null, null, $"start-{key.Uid}")
            : timer
                ? new WorkflowEvent(WorkflowEventKind.TimerFired, null, null, Guid.NewGuid().ToString("N"))
                : new WorkflowEvent(WorkflowEventKind.Signal, ObjectKey.ChangedSignal, key.ToJson(), Guid.NewGuid().ToString("N"));
        Last = await _workflow.RunAsync(_context, e, CancellationToken.None);
        _context.Commit(Last.State);
        return Last;
    }

    /// <summary>Steps until <paramref name="done"/> holds (checked after each step) or the step budget runs out.</summary>
    public async Task StepUntilAsync(Func<Task<bool>> done, int maxSteps = 20, string? what = null)
    {
        for (var i = 0; i < maxSteps; i++)
        {
            await StepAsync();
            if (await done()) return;
            if (Last!.Outcome != StepOutcome.Continue) break;
        }
        throw new InvalidOperationException($"{what ?? "Condition"} did not hold after {maxSteps} steps (last: {Last?.Outcome} {Last?.CustomStatus}).");
    }

    private sealed class Context(ObjectKey key) : WorkflowContext<ObjectState>
    {
        private ObjectState _state = new();

        public int Steps { get; set; }
        public List<(string, string, string?)> Signals { get; } = [];

        public override string InstanceId => key.InstanceId;
        public override ObjectState State => _state;
        public override string? Input => key.ToJson();
        public override DateTimeOffset Now => DateTimeOffset.UtcNow;
        public override int FailedAttempts => 0;

        public void Commit(ObjectState state) => _state = state;

        public override void SendSignal(string instanceId, string name, string? payload = null, string? startWorkflow = null) =>
            Signals.Add((instanceId, name, payload));

        public override void StartInstance(string workflowName, string instanceId, string? input = null)
        {
        }
    }
}
