using ServerlessCapi.Api;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Kube.Relay;

namespace ServerlessCapi.Reconcilers.Kinds;

/// <summary>One reconciled kind: where it is served, the reconciler, which changes of other kinds
/// wake it, the references its objects hold to objects waiting on them, and what it reads of other kinds.</summary>
/// <param name="Info">The served kind (names, group, version, CRD).</param>
/// <param name="Reconciler">Its <see cref="Framework.IObjectReconciler"/>.</param>
public sealed record ReconciledKind(KindInfo Info, Type Reconciler)
{
    public string Kind => Info.Kind;

    /// <summary>Dotted paths of references in this kind's objects to objects (same namespace) that wait on them.</summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>The changes of other kinds that wake this kind's objects (every rule's target is this kind).</summary>
    public IReadOnlyList<WakeRule> WokenBy { get; init; } = [];

    /// <summary>What the reconciler reads of other kinds' objects. Each field must be covered by what a rule in
    /// <see cref="WokenBy"/> fires on, unless the read says why a poll or another wake stands in.</summary>
    public IReadOnlyList<Read> Reads { get; init; } = [];

    /// <summary>Only present when the in-memory cloud is configured (its infrastructure provider).</summary>
    public bool NeedsInMemoryCloud { get; init; }

    /// <summary>How the relay watches this kind.</summary>
    public RelayKind ToRelayKind() => new(Info.Group, Info.Version, Info.Plural, Info.Kind) { References = References };
}

/// <summary>Fields (<c>spec.controlPlaneEndpoint</c>, <c>status.initialization</c>, <c>status.conditions.Ready</c>,
/// <c>metadata.annotations</c>) a reconciler reads of objects of <paramref name="Kind"/>.</summary>
/// <param name="WokenOtherwise">Set when no route covers the fields, saying what wakes the reader instead (a poll, a
/// timer, another object's explicit signal).</param>
public sealed record Read(string Kind, IReadOnlyList<string> Fields, string? WokenOtherwise = null);
