using ServerlessCapi.Durable;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Hosting;

/// <summary>The durable state of an object workflow: which object it reconciles. Everything else is
/// observed afresh on every step (never trust what a previous step concluded).</summary>
public sealed class ObjectState
{
    public string? Namespace { get; set; }
    public string? Name { get; set; }
    public string? Uid { get; set; }
    public long Reconciles { get; set; }

    /// <summary>Polls in a row that changed nothing (see <see cref="ReconcileResult.Poll"/>).</summary>
    public int QuietPolls { get; set; }
}

/// <summary>Hosts one <see cref="IObjectReconciler"/> on the current engine: one durable instance per object, each step one
/// reconcile. This is the only place the reconcile contract meets the engine's state, timers and signals; another host
/// replaces this class and leaves the reconcilers as they are.</summary>
/// <remarks>An exception from the reconcile fails the step, and the engine retries it with capped exponential backoff
/// without limit (its <see cref="DurableWorkflowOptions.MaxStepAttempts"/> is left unset). A terminal result parks the
/// instance until the next signal: a change of the object or an admin reconcile request.</remarks>
public sealed class ObjectWorkflow<TReconciler>(TReconciler reconciler) : Workflow<ObjectState>
    where TReconciler : IObjectReconciler
{
    public override string Name => reconciler.Kind;

    /// <summary>A reconcile reads everything afresh: several changes delivered together need one look.</summary>
    public override bool LevelTriggered => true;

    public override async Task<StepResult<ObjectState>> RunAsync(WorkflowContext<ObjectState> context, WorkflowEvent e, CancellationToken ct)
    {
        var state = context.State;
        if (state.Uid is null)
        {
            var key = ObjectKey.FromJson(context.Input) ?? ObjectKey.FromJson(e.Payload);
            // Started by its first signal: the Started event comes first, without input; the signal carries the key.
            if (key is null && e.Kind == WorkflowEventKind.Started) return StepResult<ObjectState>.Continue(state, Wait.ForSignal, "waiting for the object key");
            if (key is null) throw new InvalidOperationException($"Instance {context.InstanceId} has no object key.");
            state.Namespace = key.Namespace;
            state.Name = key.Name;
            state.Uid = key.Uid;
        }

        var reconcile = new ReconcileContext(new ObjectKey(Name, state.Namespace, state.Name!, state.Uid), context.Now);
        var outcome = await reconciler.ReconcileAsync(reconcile, ct);
        foreach (var wake in reconcile.Wakes)
            context.SendSignal(wake.InstanceId, ObjectKey.ChangedSignal, wake.ToJson(), startWorkflow: wake.Kind);
        if (outcome.Gone) return StepResult<ObjectState>.Complete(state, "object deleted");
        if (outcome.Reconciled) state.Reconciles++;

        var result = outcome.Result;
        if (result.TerminalReason is { } reason)
            return StepResult<ObjectState>.Continue(state, Wait.ForSignal, $"stopped: {reason}");
        if (outcome.Conflicted)
            return StepResult<ObjectState>.Continue(state, Wait.ForSignalOrUntil(context.Now + result.RequeueAfter!.Value), result.Summary);

        // A poll backs off while its own looks find nothing new. A step woken by a change leaves the backoff as it
        // is: changes arrive as events, and the poll is only the net under them (reset by every write, a control
        // plane whose Machines were moving looked every 2 s after each of their changes).
        if (result.PollLimit is null) state.QuietPolls = 0;
        else if (e.Kind == WorkflowEventKind.TimerFired) state.QuietPolls = outcome.Wrote ? 0 : state.QuietPolls + 1;

        var wait = result.DelayAfter(state.QuietPolls - 1) is { } after ? Wait.ForSignalOrUntil(context.Now + after) : Wait.ForSignal;
        return StepResult<ObjectState>.Continue(state, wait, result.Summary);
    }
}
