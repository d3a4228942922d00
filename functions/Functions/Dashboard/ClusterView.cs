using System.Text.Json.Nodes;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Workflows.Entity;

namespace ServerlessCapi.Functions.Dashboard;

/// <summary>One Cluster of the fleet as the dashboard lists it: its admin view and its Machines per phase.</summary>
public sealed record FleetCluster(ObjectView Cluster, IReadOnlyDictionary<string, int> MachinesByPhase);

/// <summary>What the dashboard shows of one object besides its admin view: the few status and spec facts an operator
/// reads (replicas, version, providerID, Node), never spec data or secrets.</summary>
public sealed record ObjectFacts(
    string? Version = null,
    int? Replicas = null,
    int? DesiredReplicas = null,
    int? ReadyReplicas = null,
    int? AvailableReplicas = null,
    int? UpToDateReplicas = null,
    string? ProviderId = null,
    string? NodeName = null,
    bool DataSecret = false)
{
    public static ObjectFacts From(JsonObject obj)
    {
        var spec = obj["spec"];
        var status = obj["status"];
        return new ObjectFacts(
            Version: Text(spec?["version"]) ?? Text(spec?["template"]?["spec"]?["version"]),
            Replicas: Int(status?["replicas"]),
            DesiredReplicas: Int(spec?["replicas"]),
            ReadyReplicas: Int(status?["readyReplicas"]),
            AvailableReplicas: Int(status?["availableReplicas"]),
            UpToDateReplicas: Int(status?["upToDateReplicas"]),
            ProviderId: Text(spec?["providerID"]),
            NodeName: Text(status?["nodeRef"]?["name"]),
            // A Machine names its bootstrap data Secret in its spec, a bootstrap config in its status.
            DataSecret: Text(spec?["bootstrap"]?["dataSecretName"]) is not null || Text(status?["dataSecretName"]) is not null);
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    private static int? Int(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<int>(out var i) ? i
        : node is JsonValue l && l.TryGetValue<long>(out var n) ? (int)n
        : null;
}

/// <summary>A row of the cluster tree: the label clusterctl would print, the object behind it (none for a grouping row
/// such as Workers), its facts and its durable entity's state, and the rows below it.</summary>
public sealed record ClusterRow(string Label, ObjectView? Object, ObjectFacts? Facts, ReconcileState? Workflow, IReadOnlyList<ClusterRow> Children);

/// <summary>A cluster as the dashboard shows it: the tree (control plane, MachineDeployments, MachineSets, Machines and
/// each Machine's infrastructure machine and bootstrap config) and every Machine with its timeline.</summary>
public sealed record ClusterDetail(ClusterRow Root, IReadOnlyList<ClusterRow> Machines)
{
    public ObjectView Cluster => Root.Object!;
}
