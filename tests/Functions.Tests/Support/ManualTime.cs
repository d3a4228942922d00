namespace ServerlessCapi.Functions.Tests.Support;

/// <summary>A clock that moves only when told (for unit tests of time-window logic).</summary>
public sealed class ManualTime : TimeProvider
{
    private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
