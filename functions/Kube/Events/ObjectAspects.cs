namespace ServerlessCapi.Kube.Events;

/// <summary>What a change touched, as the relay saw it against the object's previous relayed version. Routes use it
/// to wake other objects only for changes they read; an event that does not say (first sight, a relist) touched
/// everything.</summary>
public static class ObjectAspects
{
    /// <summary>Generation (the spec), labels, annotations, finalizers, owner references, deletion.</summary>
    public const string Meta = "meta";

    /// <summary>Anything in the status apart from timestamps.</summary>
    public const string Status = "status";

    /// <summary>What aggregates read: the phase, the Ready, Available and UpToDate conditions (status, reason and
    /// message), the node reference, the initialization flags and the failure domains.</summary>
    public const string Availability = "availability";

    /// <summary>Milestones others wait for: the initialization flags (infrastructure provisioned, control plane
    /// initialized, bootstrap data secret created).</summary>
    public const string Initialization = "initialization";

    /// <summary>True when <paramref name="change"/> touched <paramref name="aspect"/> or does not say.</summary>
    public static bool Touches(this ObjectEventData change, string aspect) =>
        change.Changed is null || change.Changed.Contains(aspect, StringComparer.Ordinal);

    /// <summary>The union of what two changes of one object touched (null: everything).</summary>
    public static IReadOnlyList<string>? Union(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null || b is null ? null : a.Union(b, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
