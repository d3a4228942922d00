namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>What one reconcile asks for next: nothing (wait for a change), a requeue, or the end.</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter, string? Summary = null)
{
    /// <summary>Wait for the next change of a watched object.</summary>
    public static ReconcileResult Done(string? summary = null) => new(null, summary);

    /// <summary>Look again after <paramref name="after"/> (a durable timer), or earlier on a change.</summary>
    public static ReconcileResult Requeue(TimeSpan after, string? summary = null) => new(after, summary);

    /// <summary>The shorter requeue of the two (phases run in order; the soonest need wins).</summary>
    public ReconcileResult Merge(ReconcileResult other)
    {
        TimeSpan? requeue = (RequeueAfter, other.RequeueAfter) switch
        {
            (null, var b) => b,
            (var a, null) => a,
            ({ } a, { } b) => a < b ? a : b,
        };
        return new ReconcileResult(requeue, other.Summary ?? Summary);
    }
}
