namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>What one reconcile asks for next: nothing (wait for a change), a requeue, a retry after errors, or a stop.</summary>
/// <param name="PollLimit">Set for a poll: each look that changes nothing waits twice as long, up to this.</param>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter, string? Summary = null, TimeSpan? PollLimit = null)
{
    /// <summary>What went wrong in the phases; the object is written first, then this is thrown and the host retries with
    /// capped exponential backoff, without limit.</summary>
    public Exception? Error { get; init; }

    /// <summary>Set by <see cref="Terminal"/>: why the object is not reconciled again until it changes or an admin asks.</summary>
    public string? TerminalReason { get; init; }

    /// <summary>Wait for the next change of a watched object.</summary>
    public static ReconcileResult Done(string? summary = null) => new(null, summary);

    /// <summary>Look again after <paramref name="after"/> (a durable timer), or earlier on a change.</summary>
    public static ReconcileResult Requeue(TimeSpan after, string? summary = null) => new(after, summary);

    /// <summary>A safety-net poll for something whose change normally wakes us: look again after
    /// <paramref name="first"/>, and while looks change nothing, twice as long each time up to <paramref name="limit"/>.
    /// A fleet of objects all waiting must not become a steady load of looks that find nothing.</summary>
    public static ReconcileResult Poll(TimeSpan first, TimeSpan limit, string? summary = null) => new(first, summary, limit > first ? limit : first);

    /// <summary>Nothing a retry can fix: stop until the object changes or an admin asks for a reconcile.</summary>
    public static ReconcileResult Terminal(string reason) => new(null, reason) { TerminalReason = reason };

    /// <summary>The shorter requeue of the two (phases run in order; the soonest need wins). Errors and a terminal
    /// reason are kept.</summary>
    public ReconcileResult Merge(ReconcileResult other)
    {
        var (requeue, limit) = (RequeueAfter, other.RequeueAfter) switch
        {
            (null, _) => (other.RequeueAfter, other.PollLimit),
            (_, null) => (RequeueAfter, PollLimit),
            ({ } a, { } b) => a <= b ? (a, PollLimit) : (b, other.PollLimit),
        };
        return new ReconcileResult(requeue, other.Summary ?? Summary, limit)
        {
            Error = Error ?? other.Error,
            TerminalReason = TerminalReason ?? other.TerminalReason,
        };
    }

    /// <summary>The delay to wait after <paramref name="quietLooks"/> looks in a row that changed nothing.</summary>
    public TimeSpan? DelayAfter(int quietLooks)
    {
        if (RequeueAfter is not { } first || PollLimit is not { } limit || quietLooks <= 0) return RequeueAfter;
        var factor = Math.Pow(2, Math.Min(quietLooks, 20));
        return TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, limit.Ticks));
    }
}
