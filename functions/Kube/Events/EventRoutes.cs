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
    private readonly List<IEventRoute> _routes = [];

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
    public EventRoutes WakeByLabel(string kind, string label, string targetKind) => Add(new LabelRoute(kind, label, targetKind));

    /// <summary>A change of <paramref name="kind"/> wakes the objects of <paramref name="targetKinds"/> its spec refers to
    /// (they wait on it: a DevMachine for its Machine's bootstrap data, a DevCluster for its Cluster).</summary>
    public EventRoutes WakeReferenced(string kind, params string[] targetKinds) => Add(new ReferenceRoute(kind, targetKinds));

    /// <summary>A change of <paramref name="kind"/> wakes every <paramref name="targetKind"/> in the same namespace that
    /// carries the same value of <paramref name="label"/> (a Machine wakes the MachineHealthChecks of its cluster).</summary>
    public EventRoutes WakeAllLabelled(string kind, string label, string targetKind) => Add(new LabelledSetRoute(kind, label, targetKind));

    public EventRoutes Add(IEventRoute route)
    {
        _routes.Add(route);
        return this;
    }

    /// <summary>Every other object this change wakes (the object itself is always woken; it is not listed).</summary>
    public IReadOnlyList<RouteTarget> TargetsFor(ObjectEventData change) =>
        _routes.SelectMany(r => r.Targets(change))
            .Where(t => !(t.Kind == change.Kind && t.Uid == change.Uid))
            .Distinct()
            .ToList();

    /// <summary>The Cluster API relationships: owned objects wake their controllers, and objects labelled with a
    /// cluster name wake that Cluster.</summary>
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
            .WakeControllerOwner("DevCluster", "Cluster")
            .WakeControllerOwner("KubeadmControlPlane", "Cluster")
            .WakeReferenced("Machine", "DevMachine", "KubeadmConfig")
            .WakeReferenced("Cluster", "DevCluster", "KubeadmControlPlane")
            .WakeByLabel("Machine", ClusterNameLabel, "Cluster")
            .WakeByLabel("MachineDeployment", ClusterNameLabel, "Cluster")
            .WakeByLabel("MachineHealthCheck", ClusterNameLabel, "Cluster")
            .WakeAllLabelled("Machine", ClusterNameLabel, "MachineHealthCheck");
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

    private sealed class LabelRoute(string kind, string label, string targetKind) : IEventRoute
    {
        public IEnumerable<RouteTarget> Targets(ObjectEventData change) =>
            change.Kind == kind && change.Labels?.GetValueOrDefault(label) is { Length: > 0 } name
                ? [new RouteTarget(targetKind, change.Namespace, name)]
                : [];
    }
}
