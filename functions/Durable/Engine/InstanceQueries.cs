namespace ServerlessCapi.Durable.Engine;

/// <summary>Filters shared by every store, so listing and sweeping mean the same everywhere.</summary>
internal static class InstanceQueries
{
    public static bool Matches(InstanceQuery q, InstanceRecord r) =>
        (q.Statuses is not { Count: > 0 } || q.Statuses.Contains(r.Status)) &&
        (q.InstanceIdPrefix is null || r.InstanceId.StartsWith(q.InstanceIdPrefix, StringComparison.Ordinal)) &&
        (q.CreatedFrom is null || r.CreatedAt >= q.CreatedFrom) &&
        (q.CreatedTo is null || r.CreatedAt <= q.CreatedTo);

    /// <summary>Needs a nudge: never started and quiet since <paramref name="before"/>, or its deadline passed then.</summary>
    public static bool IsOverdue(InstanceRecord r, DateTimeOffset before) =>
        r.Status switch
        {
            RuntimeStatus.Pending => r.NextTimerAt is { } due ? due <= before : r.UpdatedAt <= before,
            RuntimeStatus.Running => r.NextTimerAt <= before,
            _ => false,
        };
}
