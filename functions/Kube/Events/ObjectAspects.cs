namespace ServerlessCapi.Kube.Events;

/// <summary>What a change touched, as the relay saw it against the object's previous relayed version. Routes use it
/// to wake other objects only for changes they read; an event that does not say (first sight, a relist) touched
/// everything. <see cref="Meta"/> and <see cref="Status"/> are always computed; further aspects are
/// <see cref="ObjectAspect"/> definitions the relay is given.</summary>
public static class ObjectAspects
{
    /// <summary>Generation (the spec), labels, annotations, finalizers, owner references, deletion.</summary>
    public const string Meta = "meta";

    /// <summary>Anything in the status apart from timestamps.</summary>
    public const string Status = "status";

    /// <summary>True when <paramref name="change"/> touched <paramref name="aspect"/> or does not say.</summary>
    public static bool Touches(this ObjectEventData change, string aspect) =>
        change.Changed is null || change.Changed.Contains(aspect, StringComparer.Ordinal);

    /// <summary>The union of what two changes of one object touched (null: everything).</summary>
    public static IReadOnlyList<string>? Union(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null || b is null ? null : a.Union(b, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>A named part of an object's status whose changes the relay reports on their own: the listed top-level
/// status fields and the listed condition types (status, reason and message; timestamps never count).</summary>
public sealed record ObjectAspect(string Name, IReadOnlyList<string> StatusFields, IReadOnlyList<string> ConditionTypes)
{
    /// <summary>Whether a status field path (<c>status.phase</c>, <c>status.conditions.Ready</c>) is part of this aspect.</summary>
    public bool Covers(string statusPath)
    {
        var parts = statusPath.Split('.');
        if (parts.Length < 2 || parts[0] != "status") return false;
        if (parts[1] == "conditions") return parts.Length > 2 && ConditionTypes.Contains(parts[2], StringComparer.Ordinal);
        return StatusFields.Contains(parts[1], StringComparer.Ordinal);
    }
}
