using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.Kinds;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.Reconcilers.Admin;

/// <summary>An admin answer: an HTTP status and a JSON body.</summary>
public sealed record AdminResult(int StatusCode, JsonNode Body)
{
    public static AdminResult Ok(JsonNode body) => new(200, body);
    public static AdminResult Accepted(JsonNode body) => new(202, body);
    public static AdminResult BadRequest(string reason) => new(400, new JsonObject { ["error"] = "BadRequest", ["reason"] = reason });
    public static AdminResult NotFound(string reason) => new(404, new JsonObject { ["error"] = "NotFound", ["reason"] = reason });
}

/// <summary>The admin operations on clusters and workflows, independent of how HTTP reaches them (the function
/// app mounts them under <c>/api/admin/...</c>). Answers carry conditions, phases and workflow timelines,
/// never object specs or Secret data.</summary>
public sealed partial class AdminApi(KubeApi kube, ObjectWorkflowClient workflows)
{

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every cluster (of one namespace, or all) with phase, conditions and Machine counts per phase.</summary>
    public async Task<AdminResult> ListClustersAsync(string? ns, CancellationToken ct)
    {
        if (ns is not null && !IsNamespace(ns)) return AdminResult.BadRequest($"'{ns}' is not a valid namespace name");
        CapiResources.Register();
        var clusters = await kube.ListJsonAsync(CapiResources.For(CapiGroups.Core, Api.Cluster.KubeKind), ns, null, ct);
        var machines = await kube.ListJsonAsync(CapiResources.For(CapiGroups.Core, Api.Machine.KubeKind), ns, null, ct);
        var items = new JsonArray();
        foreach (var cluster in clusters.Select(ObjectView.From).OrderBy(c => c.Namespace, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal))
        {
            var counts = new JsonObject();
            foreach (var group in machines.Select(ObjectView.From)
                         .Where(m => m.Namespace == cluster.Namespace && m.Label(CapiLabels.ClusterName) == cluster.Name)
                         .GroupBy(m => m.Phase ?? MachinePhase.Pending).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                counts[group.Key] = group.Count();
            }
            var item = ToJson(cluster);
            item["machines"] = counts;
            items.Add(item);
        }
        return AdminResult.Ok(new JsonObject { ["clusters"] = items });
    }

    /// <summary>One cluster as a tree, each object with its workflow's runtime status; Machines also with their
    /// workflow timeline.</summary>
    public async Task<AdminResult> GetClusterAsync(string ns, string name, CancellationToken ct)
    {
        if (Validate(ns, name) is { } bad) return bad;
        var objects = await ClusterObjects.LoadAsync(kube, ns, name, ct);
        if (objects is null) return AdminResult.NotFound($"Cluster {ns}/{name} does not exist");

        var statuses = new Dictionary<string, ReconcileState?>(StringComparer.Ordinal);
        foreach (var o in objects.All.Where(o => o.Uid is not null && ReconciledKinds.IsReconciled(o.Kind)))
            statuses[o.Uid!] = await workflows.GetStateAsync(ReconcileStep.ToDurable(new ObjectKey(o.Kind, o.Namespace, o.Name, o.Uid!)), ct);

        var tree = objects.ToTree(showMachineSets: true, workflowOf: o => o.Uid is not null && statuses.GetValueOrDefault(o.Uid) is { } s ? RuntimeStatus(s) : null);
        return AdminResult.Ok(new JsonObject { ["tree"] = NodeJson(tree, statuses) });
    }

    /// <summary>Wakes an object's workflow (starting it if missing) as if the object had changed.</summary>
    public async Task<AdminResult> ReconcileAsync(string kind, string ns, string name, CancellationToken ct)
    {
        if (ReconciledKinds.Find(kind)?.Kind is not { } workflow) return AdminResult.BadRequest($"No workflow reconciles kind '{kind}'");
        if (Validate(ns, name) is { } bad) return bad;
        var info = ReconciledKinds.Find(kind)!.Info;
        CapiResources.Register();
        var obj = await kube.GetAsync(ns, new ContractVersionedObjectReference { ApiGroup = info.Group, Kind = kind, Name = name }, ct);
        if (obj is null || ExternalObjects.Text(obj, "metadata", "uid") is not { } uid) return AdminResult.NotFound($"{kind} {ns}/{name} does not exist");

        var key = new ObjectKey(kind, ns, name, uid);
        await workflows.SignalChangedAsync(ReconcileStep.ToDurable(key));
        return AdminResult.Accepted(new JsonObject { ["instanceId"] = key.InstanceId, ["workflow"] = workflow });
    }

    /// <summary>Pauses or resumes a cluster (spec.paused); every object of the cluster follows.</summary>
    public async Task<AdminResult> SetPausedAsync(string ns, string name, bool paused, CancellationToken ct)
    {
        if (Validate(ns, name) is { } bad) return bad;
        CapiResources.Register();
        var cluster = await kube.GetAsync<Api.Cluster>(ns, name, ct);
        if (cluster is null) return AdminResult.NotFound($"Cluster {ns}/{name} does not exist");
        var patch = new JsonObject { ["spec"] = new JsonObject { ["paused"] = paused } };
        await kube.MergePatchAsync<Api.Cluster>(ns, name, patch, ct: ct);
        return AdminResult.Ok(new JsonObject { ["namespace"] = ns, ["name"] = name, ["paused"] = paused });
    }

    private static JsonObject NodeJson(TreeNode node, IReadOnlyDictionary<string, ReconcileState?> statuses)
    {
        var json = new JsonObject { ["label"] = node.Label };
        if (node.Object is { } o)
        {
            json["object"] = ToJson(o);
            if (o.Uid is not null && statuses.GetValueOrDefault(o.Uid) is { } status)
                json["workflow"] = WorkflowJson(ObjectKey.InstanceIdFor(o.Kind, o.Uid), status);
        }
        if (node.Children.Count > 0)
            json["children"] = new JsonArray(node.Children.Select(c => (JsonNode)NodeJson(c, statuses)).ToArray());
        return json;
    }

    /// <summary>An object's entity exists while the object does ("Running"); a terminal result parks it ("Stopped")
    /// until its next change.</summary>
    private static string RuntimeStatus(ReconcileState s) => s.TerminalReason is null ? "Running" : "Stopped";

    /// <summary>The runtime view of an object's durable entity: its reconcile state and timeline, never the object.</summary>
    private static JsonObject WorkflowJson(string instanceId, ReconcileState s) => new()
    {
        ["instanceId"] = instanceId,
        ["runtimeStatus"] = RuntimeStatus(s),
        ["customStatus"] = s.LastSummary,
        ["reconciles"] = s.Runs,
        ["lastReconcileAt"] = s.LastRunAt,
        ["nextReconcileAt"] = s.WakeAt,
        ["failedAttempts"] = s.Failures,
        ["lastError"] = s.LastError,
        ["terminalReason"] = s.TerminalReason,
        ["timeline"] = new JsonArray(s.Timeline.Select(t => (JsonNode)new JsonObject
        {
            ["time"] = t.At,
            ["note"] = t.Note,
            ["failed"] = t.Failed,
        }).ToArray()),
    };

    private static JsonObject ToJson(ObjectView o) => JsonSerializer.SerializeToNode(o, Json)!.AsObject();

    private static AdminResult? Validate(string ns, string name) =>
        !IsNamespace(ns) ? AdminResult.BadRequest($"'{ns}' is not a valid namespace name")
        : !IsName(name) ? AdminResult.BadRequest($"'{name}' is not a valid object name")
        : null;

    private static bool IsNamespace(string s) => s.Length <= 63 && Label().IsMatch(s);

    private static bool IsName(string s) => s.Length <= 253 && Subdomain().IsMatch(s);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
