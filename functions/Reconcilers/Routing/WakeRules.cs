using System.Text.Json.Nodes;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Routing;

/// <summary>An object whose workflow a change must wake. <see cref="Uid"/> is null when only the name is
/// known (a label or an object reference); <see cref="WakeRules.ResolveAsync"/> fills it in.</summary>
public sealed record WakeTarget(string Kind, string? Namespace, string Name, string? Uid, string Why)
{
    public ObjectKey? Key => Uid is null ? null : new ObjectKey(Kind, Namespace, Name, Uid);
}

/// <summary>Given a changed object, which workflow instances must look again. Pure: JSON in, targets out.</summary>
/// <remarks>
/// The rules, in the order they are applied (duplicates keep the first reason):
/// <list type="number">
/// <item>the object itself, when its kind has a workflow;</item>
/// <item>its controller owner (ownerReferences with controller=true): DevMachine/KubeadmConfig → Machine,
/// Machine → MachineSet or KubeadmControlPlane, MachineSet → MachineDeployment, infra cluster and
/// control plane → Cluster;</item>
/// <item>the Cluster named by the <c>cluster.x-k8s.io/cluster-name</c> label, for the kinds the Cluster
/// summarises (<see cref="KindsThatWakeTheirCluster"/>);</item>
/// <item>the objects that wait on it and are named in its spec (<see cref="DependentRefs"/>): a Cluster wakes
/// its infrastructure cluster and control plane (they wait for its infrastructure), a Machine wakes its
/// infrastructure machine and bootstrap config (they wait for its bootstrap data).</item>
/// </list>
/// A Cluster change does not wake every object of the cluster (too costly at scale): reconcilers that wait
/// on the Cluster requeue with a durable timer instead.
/// </remarks>
public static class WakeRules
{
    public const string ClusterNameLabel = "cluster.x-k8s.io/cluster-name";
    private const string CapiGroupSuffix = "cluster.x-k8s.io";

    /// <summary>Kinds whose changes wake the Cluster named by their cluster-name label.</summary>
    public static IReadOnlySet<string> KindsThatWakeTheirCluster { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "Machine", "MachineSet", "MachineDeployment", "KubeadmControlPlane", "DevCluster",
    };

    /// <summary>Per kind, the JSON paths of <c>{apiGroup, kind, name}</c> references to objects that wait on it.</summary>
    public static IReadOnlyDictionary<string, string[][]> DependentRefs { get; } = new Dictionary<string, string[][]>(StringComparer.Ordinal)
    {
        ["Cluster"] = [["spec", "infrastructureRef"], ["spec", "controlPlaneRef"]],
        ["Machine"] = [["spec", "infrastructureRef"], ["spec", "bootstrap", "configRef"]],
    };

    /// <summary>The workflows a change of <paramref name="obj"/> must wake.</summary>
    public static IReadOnlyList<WakeTarget> For(JsonObject obj)
    {
        var targets = new List<WakeTarget>();
        var seen = new HashSet<(string, string)>();
        void Add(WakeTarget t)
        {
            if (Kinds.ReconciledKinds.IsReconciled(t.Kind) && t.Name.Length > 0 && seen.Add((t.Kind, t.Name)))
                targets.Add(t);
        }

        var kind = Text(obj["kind"]);
        var metadata = obj["metadata"] as JsonObject;
        var ns = Text(metadata?["namespace"]);
        var name = Text(metadata?["name"]);
        var uid = Text(metadata?["uid"]);
        if (kind is null || name is null) return targets;

        if (uid is not null && IsCapiGroup(GroupOf(Text(obj["apiVersion"]))))
            Add(new WakeTarget(kind, ns, name, uid, "self"));

        var owners = (metadata?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var owner in owners.Where(o => o["controller"]?.GetValueKind() == System.Text.Json.JsonValueKind.True))
        {
            if (OwnerTarget(owner, ns, "controller owner") is { } t) Add(t);
        }

        if (KindsThatWakeTheirCluster.Contains(kind) && Text(metadata?["labels"]?[ClusterNameLabel]) is { } clusterName)
        {
            // Any owner reference to that Cluster carries its uid and saves a lookup.
            var clusterUid = owners.Where(o => Text(o["kind"]) == "Cluster" && Text(o["name"]) == clusterName && IsCapiGroup(GroupOf(Text(o["apiVersion"]))))
                .Select(o => Text(o["uid"])).FirstOrDefault(u => u is not null);
            Add(new WakeTarget("Cluster", ns, clusterName, clusterUid, "cluster-name label"));
        }

        foreach (var path in DependentRefs.GetValueOrDefault(kind) ?? [])
        {
            JsonNode? node = obj;
            foreach (var segment in path) node = node?[segment];
            if (node is JsonObject reference && IsCapiGroup(Text(reference["apiGroup"])) &&
                Text(reference["kind"]) is { } refKind && Text(reference["name"]) is { } refName)
            {
                Add(new WakeTarget(refKind, ns, refName, null, string.Join('.', path)));
            }
        }
        return targets;
    }

    /// <summary>Turns targets into object keys, looking up the uid of those known by name only
    /// (<paramref name="uidOf"/> returns null for an object that does not exist; it is skipped).</summary>
    public static async Task<IReadOnlyList<ObjectKey>> ResolveAsync(IEnumerable<WakeTarget> targets,
        Func<string, string?, string, CancellationToken, Task<string?>> uidOf, CancellationToken ct = default)
    {
        var keys = new List<ObjectKey>();
        foreach (var t in targets)
        {
            var uid = t.Uid ?? await uidOf(t.Kind, t.Namespace, t.Name, ct);
            if (uid is not null) keys.Add(new ObjectKey(t.Kind, t.Namespace, t.Name, uid));
        }
        return keys;
    }

    private static WakeTarget? OwnerTarget(JsonObject owner, string? ns, string why) =>
        Text(owner["kind"]) is { } kind && Text(owner["name"]) is { } name && Text(owner["uid"]) is { } uid &&
        IsCapiGroup(GroupOf(Text(owner["apiVersion"])))
            ? new WakeTarget(kind, ns, name, uid, why)
            : null;

    private static string? GroupOf(string? apiVersion) =>
        apiVersion is null ? null : apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    private static bool IsCapiGroup(string? group) =>
        group is not null && (group == CapiGroupSuffix || group.EndsWith("." + CapiGroupSuffix, StringComparison.Ordinal));

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
}
