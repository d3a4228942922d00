namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>Stateless exponential-ish backoff for polling with durable timers.</summary>
public static class Backoff
{
    /// <summary>How long to wait when something has been awaited since <paramref name="since"/>: about as long
    /// as it has been waiting (1 s, 2 s, 4 s, ...), between <paramref name="min"/> and <paramref name="max"/>.
    /// Derived from observed times, so it needs no counter in the workflow state.</summary>
    public static TimeSpan Since(DateTimeOffset? since, DateTimeOffset now, TimeSpan min, TimeSpan max)
    {
        var waited = since is { } s ? now - s : TimeSpan.Zero;
        return waited < min ? min : waited > max ? max : waited;
    }

    /// <summary>1 s doubling up to 10 s: the policy for waiting on something outside the management cluster.</summary>
    public static TimeSpan Short(DateTimeOffset? since, DateTimeOffset now) =>
        Since(since, now, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));

    public static DateTimeOffset? Utc(DateTime? time) =>
        time is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;
}
