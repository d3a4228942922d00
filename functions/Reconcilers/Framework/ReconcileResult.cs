namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>What one reconcile asks for next: nothing (wait for a change), a requeue, or the end.</summary>
/// <param name="PollLimit">Set for a poll: each look that changes nothing waits twice as long, up to this.</param>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter, string? Summary = null, TimeSpan? PollLimit = null)
{
    /// <summary>Wait for the next change of a watched object.</summary>
    public static ReconcileResult Done(string? summary = null) => new(null, summary);

    /// <summary>Look again after <paramref name="after"/> (a durable timer), or earlier on a change.</summary>
    public static ReconcileResult Requeue(TimeSpan after, string? summary = null) => new(after, summary);

    /// <summary>A safety-net poll for something whose change normally wakes us: look again after
    /// <paramref name="first"/>, and while looks change nothing, twice as long each time up to <paramref name="limit"/>.
    /// A fleet of objects all waiting must not become a steady load of looks that find nothing.</summary>
    public static ReconcileResult Poll(TimeSpan first, TimeSpan limit, string? summary = null) => new(first, summary, limit > first ? limit : first);

    /// <summary>The shorter requeue of the two (phases run in order; the soonest need wins).</summary>
    public ReconcileResult Merge(ReconcileResult other)
    {
        var (requeue, limit) = (RequeueAfter, other.RequeueAfter) switch
        {
            (null, _) => (other.RequeueAfter, other.PollLimit),
            (_, null) => (RequeueAfter, PollLimit),
            ({ } a, { } b) => a <= b ? (a, PollLimit) : (b, other.PollLimit),
        };
        return new ReconcileResult(requeue, other.Summary ?? Summary, limit);
    }

    /// <summary>The delay to wait after <paramref name="quietLooks"/> looks in a row that changed nothing.</summary>
    public TimeSpan? DelayAfter(int quietLooks)
    {
        if (RequeueAfter is not { } first || PollLimit is not { } limit || quietLooks <= 0) return RequeueAfter;
        var factor = Math.Pow(2, Math.Min(quietLooks, 20));
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, limit.Ticks));
    }
}
