namespace ServerlessCapi.Kube.Events;

/// <summary>An object whose workflow a change should wake. Without a uid the dispatcher looks it up by name; with a
/// <see cref="Selector"/> (and no name) it wakes every object of the kind in the namespace that the selector matches.</summary>
public sealed record RouteTarget(string Kind, string? Namespace, string Name, string? Uid = null, string? Selector = null);

/// <summary>Decides which other objects a change wakes.</summary>
public interface IEventRoute
{
    IEnumerable<RouteTarget> Targets(ObjectEventData change);
}

/// <summary>The dispatcher's routing table: which workflow reconciles each kind, and which other objects a
/// change wakes (by owner reference or by a label naming the target). Reconcilers extend it at startup.</summary>
public sealed class EventRoutes
{
    private readonly Dictionary<string, string> _workflows = new(StringComparer.Ordinal);
    private readonly List<(IEventRoute Route, string[] When)> _routes = [];

    /// <summary>What a change must touch to wake anything else, unless a route says otherwise: a version that differs
    /// from the previous one only in timestamps wakes nobody but its own workflow.</summary>
    private static readonly string[] AnyChange = [ObjectAspects.Meta, ObjectAspects.Status];

    /// <summary>What aggregating readers (a Cluster over its Machines, MachineHealthChecks) look at.</summary>
    private static readonly string[] AvailabilityChange = [ObjectAspects.Meta, ObjectAspects.Availability];

    /// <summary>What objects waiting on a Cluster or a Machine look at: its spec and metadata (an endpoint, a bootstrap
    /// data secret name, pausing, deletion) and its milestones.</summary>
    private static readonly string[] InitializationChange = [ObjectAspects.Meta, ObjectAspects.Initialization];

    public const string ClusterNameLabel = "cluster.x-k8s.io/cluster-name";

    /// <summary>The workflow started for objects of <paramref name="kind"/>, or null when none reconciles it.</summary>
    public string? WorkflowFor(string kind) => _workflows.GetValueOrDefault(kind);

    public IReadOnlyDictionary<string, string> Workflows => _workflows;

    /// <summary>Objects of <paramref name="kind"/> are reconciled by <paramref name="workflow"/> (default: the kind's name).</summary>
    public EventRoutes Reconcile(string kind, string? workflow = null)
    {
        _workflows[kind] = workflow ?? kind;
        return this;
    }

    /// <summary>A change of <paramref name="kind"/> wakes its controller owner when that is one of <paramref name="ownerKinds"/>.</summary>
    public EventRoutes WakeControllerOwner(string kind, params string[] ownerKinds) =>
        Add(new OwnerRoute(kind, ownerKinds, controllerOnly: true));

    /// <summary>A change of <paramref name="kind"/> wakes every owner of kind <paramref name="ownerKind"/>.</summary>
    public EventRoutes WakeOwners(string kind, string ownerKind) => Add(new OwnerRoute(kind, [ownerKind], controllerOnly: false));

    /// <summary>A change of <paramref name="kind"/> wakes the <paramref name="targetKind"/> in the same namespace named
    /// by the value of <paramref name="label"/>.</summary>
    public EventRoutes WakeByLabel(string kind, string label, string targetKind, params string[] when) =>
        Add(new LabelRoute(kind, label, targetKind), when);

    /// <summary>A change of <paramref name="kind"/> wakes the objects of <paramref name="targetKinds"/> its spec refers to
    /// (they wait on it: a DevMachine for its Machine's bootstrap data, a DevCluster for its Cluster).</summary>
    public EventRoutes WakeReferenced(string kind, params string[] targetKinds) => Add(new ReferenceRoute(kind, targetKinds));

    /// <summary>As <see cref="WakeReferenced(string, string[])"/>, for changes touching any of <paramref name="when"/>.</summary>
    public EventRoutes WakeReferenced(string kind, string[] targetKinds, string[] when) => Add(new ReferenceRoute(kind, targetKinds), when);

    /// <summary>A change of <paramref name="kind"/> wakes every <paramref name="targetKind"/> in the same namespace that
    /// carries the same value of <paramref name="label"/> (a Machine wakes the MachineHealthChecks of its cluster).</summary>
    public EventRoutes WakeAllLabelled(string kind, string label, string targetKind, params string[] when) =>
        Add(new LabelledSetRoute(kind, label, targetKind), when);

    /// <summary>A change of <paramref name="kind"/> wakes every <paramref name="targetKind"/> in the same namespace whose
    /// <paramref name="label"/> names it (a Cluster wakes the bootstrap configs and machines of the cluster).</summary>
    public EventRoutes WakeMembers(string kind, string label, string targetKind, params string[] when) =>
        Add(new MembersRoute(kind, label, targetKind), when);

    /// <summary>Adds a route that fires for changes touching any of <paramref name="when"/> (<see cref="ObjectAspects"/>;
    /// default: metadata or status).</summary>
    public EventRoutes Add(IEventRoute route, params string[] when)
    {
        _routes.Add((route, when.Length > 0 ? when : AnyChange));
        return this;
    }

    /// <summary>Every other object this change wakes (the object itself is always woken; it is not listed).</summary>
    public IReadOnlyList<RouteTarget> TargetsFor(ObjectEventData change) =>
        _routes.Where(r => change.Deleted || r.When.Any(change.Touches))
            .SelectMany(r => r.Route.Targets(change))
            .Where(t => !(t.Kind == change.Kind && t.Uid == change.Uid))
            .Distinct()
            .ToList();

    /// <summary>The Cluster API relationships: owned objects wake their controllers, and objects labelled with a
    /// cluster name wake that Cluster. A Cluster hears from its parts only when what it aggregates changed
    /// (<see cref="ObjectAspects.Availability"/>), and so do MachineHealthChecks from Machines. Objects waiting on a Cluster
    /// or a Machine (its infrastructure, control plane, Machines, bootstrap configs and infrastructure machines) hear of its spec,
    /// metadata and milestones (<see cref="ObjectAspects.Initialization"/>: infrastructure provisioned, control plane
    /// initialized), not of every condition message.</summary>
    public static EventRoutes ForClusterApi()
    {
        var routes = new EventRoutes();
        foreach (var kind in new[]
                 {
                     "Cluster", "Machine", "MachineSet", "MachineDeployment", "MachineHealthCheck", "KubeadmConfig",
                     "KubeadmControlPlane", "DevCluster", "DevMachine",
                 })
        {
            routes.Reconcile(kind);
        }
        return routes
            .WakeControllerOwner("Machine", "MachineSet", "KubeadmControlPlane")
            .WakeControllerOwner("MachineSet", "MachineDeployment")
            .WakeControllerOwner("DevMachine", "Machine")
            .WakeControllerOwner("KubeadmConfig", "Machine")
            .Add(new OwnerRoute("DevCluster", ["Cluster"], controllerOnly: true), AvailabilityChange)
            .Add(new OwnerRoute("KubeadmControlPlane", ["Cluster"], controllerOnly: true), AvailabilityChange)
            .WakeReferenced("Machine", ["DevMachine", "KubeadmConfig"], InitializationChange)
            .WakeReferenced("Cluster", ["DevCluster", "KubeadmControlPlane"], InitializationChange)
            .WakeByLabel("Machine", ClusterNameLabel, "Cluster", AvailabilityChange)
            .WakeByLabel("MachineDeployment", ClusterNameLabel, "Cluster", AvailabilityChange)
            .WakeByLabel("MachineHealthCheck", ClusterNameLabel, "Cluster", AvailabilityChange)
            .WakeMembers("Cluster", ClusterNameLabel, "KubeadmConfig", InitializationChange)
            .WakeMembers("Cluster", ClusterNameLabel, "DevMachine", InitializationChange)
            .WakeMembers("Cluster", ClusterNameLabel, "Machine", InitializationChange)
            .WakeAllLabelled("Machine", ClusterNameLabel, "MachineHealthCheck", AvailabilityChange);
    }

    private sealed class OwnerRoute(string kind, string[] ownerKinds, bool controllerOnly) : IEventRoute
    {
        public IEnumerable<RouteTarget> Targets(ObjectEventData change) =>
            change.Kind != kind
                ? []
                : (change.Owners ?? [])
                    .Where(o => (!controllerOnly || o.Controller) && (ownerKinds.Length == 0 || ownerKinds.Contains(o.Kind)))
                    .Select(o => new RouteTarget(o.Kind, change.Namespace, o.Name, o.Uid));
    }

    private sealed class ReferenceRoute(string kind, string[] targetKinds) : IEventRoute
    {
        public IEnumerable<RouteTarget> Targets(ObjectEventData change) =>
            change.Kind != kind
                ? []
                : (change.Refs ?? []).Where(r => targetKinds.Contains(r.Kind)).Select(r => new RouteTarget(r.Kind, change.Namespace, r.Name));
    }

    private sealed class LabelledSetRoute(string kind, string label, string targetKind) : IEventRoute
    {
        public IEnumerable<RouteTarget> Targets(ObjectEventData change) =>
            change.Kind == kind && change.Namespace is not null && change.Labels?.GetValueOrDefault(label) is { Length: > 0 } value
                ? [new RouteTarget(targetKind, change.Namespace, "", Selector: $"{label}={value}")]
                : [];
    }

    private sealed class MembersRoute(string kind, string label, string targetKind) : IEventRoute
    {
        public IEnumerable<RouteTarget> Targets(ObjectEventData change) =>
            change.Kind == kind && change.Namespace is not null && !change.Deleted
                ? [new RouteTarget(targetKind, change.Namespace, "", Selector: $"{label}={change.Name}")]
                : [];
    }

    private sealed class LabelRoute(string kind, string label, string targetKind) : IEventRoute
    {
        public IEnumerable<RouteTarget> Targets(ObjectEventData change) =>
            change.Kind == kind && change.Labels?.GetValueOrDefault(label) is { Length: > 0 } name
                ? [new RouteTarget(targetKind, change.Namespace, name)]
                : [];
    }
}
