namespace ServerlessCapi.Api;

/// <summary>Reads and writes v1beta2 conditions the way CAPI's condition utilities do: one condition per
/// type, and a transition time that moves only when the status changes.</summary>
public static class Conditions
{
    /// <summary>Truncates to whole seconds (UTC), the precision the API server keeps, so writing a time
    /// and reading it back compares equal and never causes a spurious patch.</summary>
    public static DateTime Truncate(DateTime time)
    {
        var utc = time.Kind == DateTimeKind.Local ? time.ToUniversalTime() : DateTime.SpecifyKind(time, DateTimeKind.Utc);
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerSecond), DateTimeKind.Utc);
    }

    /// <summary>Adds or updates the condition of <paramref name="condition"/>'s type. The transition time is
    /// <paramref name="now"/> (truncated) when the status changes or the condition is new, and is kept
    /// otherwise. Returns true when anything changed.</summary>
    public static bool Set(IList<Condition> conditions, Condition condition, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(conditions);
        ArgumentNullException.ThrowIfNull(condition);
        var index = IndexOf(conditions, condition.Type);
        if (index < 0)
        {
            conditions.Add(Copy(condition, Truncate(now)));
            return true;
        }
        var existing = conditions[index];
        var transition = existing.Status == condition.Status ? existing.LastTransitionTime : Truncate(now);
        var updated = Copy(condition, transition);
        updated.AdditionalProperties = existing.AdditionalProperties;
        if (SameAs(existing, updated))
            return false;
        conditions[index] = updated;
        return true;
    }

    /// <summary>As <see cref="Set(IList{Condition}, Condition, DateTime)"/> on a status, creating its list.</summary>
    public static bool Set(IConditionsStatus status, Condition condition, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(status);
        status.Conditions ??= [];
        return Set(status.Conditions, condition, now);
    }

    /// <summary>Sets a condition from its parts.</summary>
    public static bool Set(IConditionsStatus status, string type, string conditionStatus, string reason, string? message, long? observedGeneration, DateTime now) =>
        Set(status, new Condition
        {
            Type = type,
            Status = conditionStatus,
            Reason = reason,
            Message = message ?? "",
            ObservedGeneration = observedGeneration,
        }, now);

    public static Condition? Get(IEnumerable<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static Condition? Get(IConditionsStatus? status, string type) => Get(status?.Conditions, type);

    public static bool IsTrue(IEnumerable<Condition>? conditions, string type) => Get(conditions, type)?.Status == ConditionStatus.True;

    public static bool IsTrue(IConditionsStatus? status, string type) => IsTrue(status?.Conditions, type);

    public static bool IsFalse(IEnumerable<Condition>? conditions, string type) => Get(conditions, type)?.Status == ConditionStatus.False;

    public static bool IsFalse(IConditionsStatus? status, string type) => IsFalse(status?.Conditions, type);

    /// <summary>True when the condition is missing or its status is Unknown.</summary>
    public static bool IsUnknown(IConditionsStatus? status, string type) =>
        Get(status?.Conditions, type) is not { } c || c.Status == ConditionStatus.Unknown;

    /// <summary>Removes the condition of that type. Returns true when one was removed.</summary>
    public static bool Remove(IList<Condition>? conditions, string type)
    {
        if (conditions is null)
            return false;
        var index = IndexOf(conditions, type);
        if (index < 0)
            return false;
        conditions.RemoveAt(index);
        return true;
    }

    public static bool Remove(IConditionsStatus? status, string type) => Remove(status?.Conditions, type);

    private static int IndexOf(IList<Condition> conditions, string type)
    {
        for (var i = 0; i < conditions.Count; i++)
        {
            if (conditions[i].Type == type)
                return i;
        }
        return -1;
    }

    private static Condition Copy(Condition c, DateTime transition) => new()
    {
        Type = c.Type,
        Status = c.Status,
        Reason = c.Reason,
        Message = c.Message,
        ObservedGeneration = c.ObservedGeneration,
        LastTransitionTime = transition,
        AdditionalProperties = c.AdditionalProperties,
    };

    private static bool SameAs(Condition a, Condition b) =>
        a.Type == b.Type && a.Status == b.Status && a.Reason == b.Reason && a.Message == b.Message
        && a.ObservedGeneration == b.ObservedGeneration && a.LastTransitionTime == b.LastTransitionTime;
}
