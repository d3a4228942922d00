namespace ServerlessCapi.Reconcilers.Tests.Events;

/// <summary>A clock the test moves by hand (rate-limit refills without waiting).</summary>
internal sealed class ManualTime(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
