namespace ServerlessCapi.Workflows.Reconcile;

/// <summary>Capped exponential backoff for failed reconciles (controller-runtime's shape: base doubling up to a cap,
/// retried forever).</summary>
public sealed record RetryBackoff(TimeSpan Base, TimeSpan Cap)
{
    public static RetryBackoff Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));

    /// <summary>The delay before retry number <paramref name="failures"/> (1 for the first failure).</summary>
    public TimeSpan DelayFor(int failures)
    {
        if (failures <= 1) return Base <= Cap ? Base : Cap;
        // 2^30 × any sensible base is already past every cap; clamping the exponent avoids overflow.
        var factor = Math.Pow(2, Math.Min(failures - 1, 30));
        var ticks = Base.Ticks * factor;
        return ticks >= Cap.Ticks ? Cap : TimeSpan.FromTicks((long)ticks);
    }
}
