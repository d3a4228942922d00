using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Cli.Describe;

/// <summary>A v1beta2 condition as <c>describe</c> shows it.</summary>
internal sealed record ObjectCondition(string Type, string Status, string? Reason = null, string? Message = null,
    DateTimeOffset? LastTransitionTime = null);

/// <summary>What an object contributes to the tree, decided by the role it plays in the cluster (the columns
/// clusterctl fills differ per role).</summary>
internal enum ObjectRole
{
    Cluster,
    ControlPlane,
    MachineDeployment,
    MachineSet,
    Machine,
    /// <summary>Infrastructure cluster, infrastructure machine, bootstrap config: only their Ready condition.</summary>
    Other,
}

/// <summary>Replica counters: current of desired, and how many are available, ready and up to date. A null counter
/// is one the object does not report (an empty cell, not a zero).</summary>
internal sealed record ReplicaCounters(int? Current, int? Desired, int? Available, int? Ready, int? UpToDate);

/// <summary>A reference held in a spec, as v1beta2 writes them: API group, kind, name (same namespace).</summary>
internal sealed record ObjectRef(string ApiGroup, string Kind, string Name);

/// <summary>One object of a cluster, reduced to what <c>describe</c> shows and arranges: never spec data or secrets.</summary>
internal sealed record DescribedObject(ObjectRole Role, string Kind, string Namespace, string Name)
{
    public string? Uid { get; init; }
    public bool Deleting { get; init; }
    /// <summary>The Kubernetes version shown after the name (Machines, MachineSets, MachineDeployments, control planes,
    /// Clusters with a topology).</summary>
    public string? Version { get; init; }
    public IReadOnlyList<ObjectCondition> Conditions { get; init; } = [];
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();
    /// <summary>Kind and name of the controlling owner.</summary>
    public (string Kind, string Name)? Controller { get; init; }
    public ReplicaCounters? Replicas { get; init; }
    /// <summary>Machine: its infrastructure machine; MachineDeployment and control plane: their infrastructure template.</summary>
    public ObjectRef? InfrastructureRef { get; init; }
    /// <summary>Machine: its bootstrap config; MachineDeployment: its bootstrap config template.</summary>
    public ObjectRef? BootstrapRef { get; init; }

    public ObjectCondition? Condition(string type) => Conditions.FirstOrDefault(c => c.Type == type);

    public bool IsControlPlaneMachine => Role == ObjectRole.Machine && Labels.ContainsKey(ControlPlaneLabel);

    public const string ControlPlaneLabel = "cluster.x-k8s.io/control-plane";

    public static DescribedObject From(JsonObject obj, ObjectRole role)
    {
        var metadata = obj["metadata"];
        var spec = obj["spec"];
        var status = obj["status"];
        var controller = (metadata?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(o => o["controller"] is JsonValue v && v.TryGetValue<bool>(out var b) && b);
        return new DescribedObject(role, Text(obj["kind"]) ?? "", Text(metadata?["namespace"]) ?? "", Text(metadata?["name"]) ?? "")
        {
            Uid = Text(metadata?["uid"]),
            Deleting = metadata?["deletionTimestamp"] is not null,
            Conditions = (status?["conditions"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(c => new ObjectCondition(Text(c["type"]) ?? "", Text(c["status"]) ?? "Unknown", Text(c["reason"]), Text(c["message"]),
                    Time(c["lastTransitionTime"])))
                .Where(c => c.Type.Length > 0)
                .ToList(),
            Labels = (metadata?["labels"] as JsonObject ?? [])
                .Where(p => p.Value is JsonValue v && v.TryGetValue<string>(out _))
                .ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal),
            Controller = controller is null ? null : (Text(controller["kind"]) ?? "", Text(controller["name"]) ?? ""),
            Version = role switch
            {
                ObjectRole.Cluster => Text(spec?["topology"]?["version"]),
                ObjectRole.ControlPlane or ObjectRole.Machine => Text(spec?["version"]),
                ObjectRole.MachineDeployment or ObjectRole.MachineSet => Text(spec?["template"]?["spec"]?["version"]),
                _ => null,
            },
            Replicas = role switch
            {
                ObjectRole.Cluster => ClusterCounters(status),
                ObjectRole.ControlPlane or ObjectRole.MachineDeployment or ObjectRole.MachineSet => new ReplicaCounters(
                    Int(status?["replicas"]), Int(spec?["replicas"]), Int(status?["availableReplicas"]), Int(status?["readyReplicas"]),
                    Int(status?["upToDateReplicas"])),
                _ => null,
            },
            InfrastructureRef = role switch
            {
                ObjectRole.Machine => Ref(spec?["infrastructureRef"]),
                ObjectRole.MachineDeployment => Ref(spec?["template"]?["spec"]?["infrastructureRef"]),
                ObjectRole.ControlPlane => Ref(spec?["machineTemplate"]?["spec"]?["infrastructureRef"]),
                _ => null,
            },
            BootstrapRef = role switch
            {
                ObjectRole.Machine => Ref(spec?["bootstrap"]?["configRef"]),
                ObjectRole.MachineDeployment => Ref(spec?["template"]?["spec"]?["bootstrap"]?["configRef"]),
                _ => null,
            },
        };
    }

    /// <summary>Control plane and workers summed, as clusterctl shows a Cluster.</summary>
    private static ReplicaCounters ClusterCounters(JsonNode? status)
    {
        int? Sum(string field)
        {
            var cp = Int(status?["controlPlane"]?[field]);
            var w = Int(status?["workers"]?[field]);
            return cp is null && w is null ? null : (cp ?? 0) + (w ?? 0);
        }
        return new ReplicaCounters(Sum("replicas"), Sum("desiredReplicas"), Sum("availableReplicas"), Sum("readyReplicas"), Sum("upToDateReplicas"));
    }

    private static ObjectRef? Ref(JsonNode? node) =>
        Text(node?["kind"]) is { } kind && Text(node?["name"]) is { } name ? new ObjectRef(Text(node?["apiGroup"]) ?? "", kind, name) : null;

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static int? Int(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<int>(out var i) ? i
        : node is JsonValue l && l.TryGetValue<long>(out var n) ? (int)n
        : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
