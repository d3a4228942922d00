using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Reconcilers.Kinds;

/// <summary>The parts of a Cluster API object's status that others wait on, reported by the relay on their own so a
/// route can wake a reader only when what it reads changed (see <see cref="ObjectAspects"/> for metadata and status).</summary>
public static class CapiAspects
{
    /// <summary>What aggregates read: the phase, the Ready, Available and UpToDate conditions (status, reason and
    /// message), the node reference, the initialization flags, the failure domains (and the v1beta1 readiness flags a
    /// provider of the older contract reports instead of the initialization flags).</summary>
    public static ObjectAspect Availability { get; } = new("availability",
        ["phase", "nodeRef", "initialization", "failureDomains", "ready", "initialized"],
        ["Ready", "Available", "UpToDate"]);

    /// <summary>Milestones others wait for: the initialization flags (infrastructure provisioned, control plane
    /// initialized, bootstrap data secret created).</summary>
    public static ObjectAspect Initialization { get; } = new("initialization", ["initialization"], []);

    public static IReadOnlyList<ObjectAspect> All { get; } = [Availability, Initialization];
}
