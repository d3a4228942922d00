namespace ServerlessCapi.Workflows.Reconcile;

/// <summary>One level-triggered reconcile of one object: read fresh state, act idempotently, report what comes next.
/// Host-independent: the standalone worker and the isolated-worker entity trigger call the same implementation.</summary>
public interface IObjectReconcile
{
    /// <summary>Throwing means "retry later" with capped exponential backoff, without limit.</summary>
    Task<ReconcileOutcome> ReconcileAsync(ObjectKey key, CancellationToken ct);
}
