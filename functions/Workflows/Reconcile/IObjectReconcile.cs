namespace ServerlessCapi.Workflows.Reconcile;

/// <summary>One level-triggered reconcile of one object: read fresh state, act idempotently, report what comes next.
/// Host-independent: the standalone worker and the isolated-worker entity trigger call the same implementation.</summary>
public interface IObjectReconcile
{
    /// <summary>Throwing means "retry later" with capped exponential backoff, without limit.</summary>
    Task<ReconcileOutcome> ReconcileAsync(ObjectKey key, CancellationToken ct);

    /// <summary>The same, told what woke it and how many quiet polls came before; implementations that poll override
    /// this one.</summary>
    Task<ReconcileOutcome> ReconcileAsync(ReconcileRequest request, CancellationToken ct) => ReconcileAsync(request.Key, ct);
}

/// <summary>What one reconcile is asked to do.</summary>
/// <param name="Key">The object.</param>
/// <param name="Scheduled">Woken by its own requeue (a poll or a retry), not by a change.</param>
/// <param name="QuietPolls">Polls in a row before this one that found nothing to do (what the previous outcome's
/// <see cref="ReconcileOutcome.QuietPolls"/> said).</param>
public sealed record ReconcileRequest(ObjectKey Key, bool Scheduled, int QuietPolls);
