using ServerlessCapi.Reconcilers.Framework;
using Durable = ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Reconcilers.Hosting;

/// <summary>One reconcile of one object by its <see cref="IObjectReconciler"/>, told as the durable side needs it: the
/// only place the reconcile contract meets the durable foundation (the object's entity keeps the quiet-poll count,
/// the requeue and the wakes). Anything the reconcile throws goes through: the entity retries it with capped
/// backoff, without limit. A terminal result parks the object until its next change or an admin reconcile.</summary>
public sealed class ReconcileStep(IObjectReconciler reconciler)
{
    public string Kind => reconciler.Kind;

    public async Task<Durable.ReconcileOutcome> RunAsync(Durable.ReconcileRequest request, DateTimeOffset now, CancellationToken ct)
    {
        var context = new ReconcileContext(FromDurable(request.Key), now);
        var outcome = await reconciler.ReconcileAsync(context, ct);
        var wakes = context.Wakes.Select(ToDurable).ToList();
        if (outcome.Gone) return Durable.ReconcileOutcome.Gone with { Wakes = wakes, Summary = "object deleted" };

        var result = outcome.Result;
        if (result.TerminalReason is { } reason) return Durable.ReconcileOutcome.Terminal(reason) with { Wakes = wakes, Summary = reason };
        if (outcome.Conflicted)
            return Durable.ReconcileOutcome.RequeueAfter(result.RequeueAfter ?? TimeSpan.FromSeconds(1))
                with
            { Wakes = wakes, QuietPolls = request.QuietPolls, Summary = result.Summary };

        // A poll backs off while its own looks find nothing new. A reconcile woken by a change leaves the backoff as it
        // is: changes arrive as signals, and the poll is only the net under them (reset by every write: a control
        // plane whose Machines were moving looked every 2 s after each of their changes).
        var quiet = result.PollLimit is null ? 0 : request.Scheduled ? (outcome.Wrote ? 0 : request.QuietPolls + 1) : request.QuietPolls;
        var next = result.DelayAfter(quiet - 1) is { } after ? Durable.ReconcileOutcome.RequeueAfter(after) : Durable.ReconcileOutcome.Done;
        return next with { Wakes = wakes, QuietPolls = quiet, Summary = result.Summary };
    }

    /// <summary>The durable side's key of an object (its namespace is never null there).</summary>
    public static Durable.ObjectKey ToDurable(ObjectKey key) => new(key.Kind, key.Namespace ?? "", key.Name, key.Uid);

    public static ObjectKey FromDurable(Durable.ObjectKey key) =>
        new(key.Kind, key.Namespace is { Length: > 0 } ns ? ns : null, key.Name, key.Uid);
}
