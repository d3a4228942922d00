namespace ServerlessCapi.Durable;

/// <summary>A durable, per-instance state machine. The engine runs one step at a time per instance.</summary>
/// <remarks>
/// A step sees the instance's last committed state and one event, and returns the next state and what
/// to wait for. The engine commits the new state, the outbox (signals and starts the step asked for)
/// and the dedup record in one ETag-checked transaction; if that commit loses a race the step's
/// result is discarded and the event is retried against fresh state. Therefore:
/// <list type="bullet">
/// <item>Side effects performed inside a step must be idempotent (deterministic names, create-or-get,
/// resourceVersion preconditions, idempotency keys): a step can run more than once for one event.</item>
/// <item>Messages to other instances go through <see cref="WorkflowContext{TState}"/> (the outbox), never
/// straight to a queue, so they are sent if and only if the step commits.</item>
/// <item>Events can arrive stale, duplicated or reordered: compute from observed state, not from the
/// event kind (a level-triggered step).</item>
/// <item>Use <see cref="WorkflowContext{TState}.Now"/> for time, so timers and tests agree.</item>
/// </list>
/// </remarks>
public abstract class Workflow<TState> : IWorkflow where TState : class, new()
{
    /// <summary>The workflow's registered name (stable: it is stored with every instance).</summary>
    public abstract string Name { get; }

    /// <summary>Whether a signal for an instance that does not exist starts it (true) or is dropped.</summary>
    public virtual bool StartOnSignal => true;

    /// <summary>Whether a step computes everything from observed state whatever woke it (a reconcile). The engine then
    /// runs it once for all the signals and timers a step delivers together, not once per event.</summary>
    public virtual bool LevelTriggered => false;

    /// <summary>Runs one step.</summary>
    public abstract Task<StepResult<TState>> RunAsync(WorkflowContext<TState> context, WorkflowEvent e, CancellationToken ct);

    Type IWorkflow.StateType => typeof(TState);
}

/// <summary>The untyped face of a workflow, for the engine's registry.</summary>
public interface IWorkflow
{
    string Name { get; }
    bool StartOnSignal { get; }
    Type StateType { get; }
    bool LevelTriggered => false;
}

/// <summary>Why a step runs.</summary>
public enum WorkflowEventKind
{
    /// <summary>The instance was just started (its input is in <see cref="WorkflowContext{TState}.Input"/>).</summary>
    Started,
    /// <summary>A named external event (signal) arrived.</summary>
    Signal,
    /// <summary>The durable timer the last step asked for is due.</summary>
    TimerFired,
}

/// <summary>One event delivered to a step.</summary>
/// <param name="Kind">Why the step runs.</param>
/// <param name="Name">The signal's name (for <see cref="WorkflowEventKind.Signal"/>), else null.</param>
/// <param name="Payload">The signal's JSON payload, or null.</param>
/// <param name="MessageId">The deterministic id the engine deduplicates on.</param>
public sealed record WorkflowEvent(WorkflowEventKind Kind, string? Name, string? Payload, string MessageId);

/// <summary>What a step can read and ask for. Sends are buffered and committed with the step.</summary>
public abstract class WorkflowContext<TState> where TState : class, new()
{
    /// <summary>The instance id (for example <c>Machine/3f1c…</c>).</summary>
    public abstract string InstanceId { get; }

    /// <summary>The last committed state (a fresh <typeparamref name="TState"/> on the first step).</summary>
    public abstract TState State { get; }

    /// <summary>The JSON input the instance was started with, or null.</summary>
    public abstract string? Input { get; }

    /// <summary>The engine's clock.</summary>
    public abstract DateTimeOffset Now { get; }

    /// <summary>How many times in a row this instance's steps have failed (0 on a healthy instance).</summary>
    public abstract int FailedAttempts { get; }

    /// <summary>Sends a signal to another instance after this step commits (outbox).</summary>
    /// <param name="startWorkflow">When set and the target does not exist, start it as this workflow.</param>
    public abstract void SendSignal(string instanceId, string name, string? payload = null, string? startWorkflow = null);

    /// <summary>Starts another instance after this step commits (singleton: no-op if it exists).</summary>
    public abstract void StartInstance(string workflowName, string instanceId, string? input = null);
}

/// <summary>What the instance waits for after a step.</summary>
public sealed class Wait
{
    private Wait(DateTimeOffset? until) => Until = until;

    /// <summary>When set, a durable timer fires at this time (a signal still wakes the instance earlier).</summary>
    public DateTimeOffset? Until { get; }

    /// <summary>Wait for the next signal only.</summary>
    public static Wait ForSignal { get; } = new(until: null);

    /// <summary>Wait for the next signal, or the timer at <paramref name="until"/>, whichever comes first.</summary>
    public static Wait ForSignalOrUntil(DateTimeOffset until) => new(until);
}

/// <summary>The result of one step: the next state and either a wait, completion, or failure.</summary>
public sealed record StepResult<TState>(TState State, StepOutcome Outcome, Wait? Wait, string? CustomStatus, string? Reason)
    where TState : class, new()
{
#pragma warning disable CA1000 // StepResult<T>.Continue(...) reads better than a separate factory class.
    /// <summary>Keep going and wait. A null <paramref name="customStatus"/> keeps the previous custom status.</summary>
    public static StepResult<TState> Continue(TState state, Wait wait, string? customStatus = null) =>
        new(state, StepOutcome.Continue, wait, customStatus, null);

    public static StepResult<TState> Complete(TState state, string? customStatus = null) =>
        new(state, StepOutcome.Completed, null, customStatus, null);

    /// <summary>Terminal failure: the instance goes to Failed and stops receiving events.</summary>
    public static StepResult<TState> Fail(TState state, string reason) =>
        new(state, StepOutcome.Failed, null, null, reason);
#pragma warning restore CA1000
}

public enum StepOutcome
{
    Continue,
    Completed,
    Failed,
}
