namespace ServerlessCapi.Cli.Describe;

/// <summary>Reads <c>--show-conditions</c>: a comma-separated list of <c>all</c>, kinds (<c>KubeadmControlPlane</c>)
/// and kind/name pairs (<c>Machine/m1</c>), case-insensitive; a <c>+</c> suffix on an entry keeps only the conditions
/// that are not in their normal state or carry a message.</summary>
internal static class ShowConditionsFilter
{
    public const string NonZeroSuffix = "+";

    /// <summary>Condition types whose normal state is False (True means something is going on).</summary>
    private static readonly HashSet<string> NegativePolarity =
        new(["Paused", "Deleting", "RollingOut", "ScalingUp", "ScalingDown", "Updating", "Remediating"], StringComparer.Ordinal);

    /// <summary>An error for a value clusterctl refuses (whitespace around entries), else null.</summary>
    public static string? Validate(string? spec) =>
        spec is not null && spec.Split(',').Any(e => e.Trim() != e)
            ? $"invalid --show-conditions value \"{spec}\": whitespace is not allowed"
            : null;

    public static ConditionFilter For(string? spec, string kind, string name)
    {
        if (string.IsNullOrEmpty(spec)) return ConditionFilter.None;
        foreach (var entry in spec.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var filter = entry.EndsWith(NonZeroSuffix, StringComparison.Ordinal) ? ConditionFilter.NonZero : ConditionFilter.All;
            var target = entry.EndsWith(NonZeroSuffix, StringComparison.Ordinal) ? entry[..^1] : entry;
            if (target.Equals("all", StringComparison.OrdinalIgnoreCase)) return filter;
            var slash = target.IndexOf('/', StringComparison.Ordinal);
            var matches = slash < 0
                ? target.Equals(kind, StringComparison.OrdinalIgnoreCase)
                : target[..slash].Equals(kind, StringComparison.OrdinalIgnoreCase) && target[(slash + 1)..].Equals(name, StringComparison.OrdinalIgnoreCase);
            if (matches) return filter;
        }
        return ConditionFilter.None;
    }

    /// <summary>The conditions to list for an object under <paramref name="filter"/>, in the object's order. Available
    /// and Ready are always kept, as they say whether the object is fine.</summary>
    public static IReadOnlyList<ObjectCondition> Select(IReadOnlyList<ObjectCondition> conditions, ConditionFilter filter) => filter switch
    {
        ConditionFilter.All => conditions,
        ConditionFilter.NonZero => conditions.Where(c => c.Type is "Available" or "Ready" || !IsZero(c)).ToList(),
        _ => [],
    };

    /// <summary>True when a condition is in its normal state and says nothing.</summary>
    public static bool IsZero(ObjectCondition c) =>
        c.Status != "Unknown" && c.Status == (IsPositive(c.Type) ? "True" : "False") && string.IsNullOrEmpty(c.Message);

    public static bool IsPositive(string type) => !NegativePolarity.Contains(type);
}
