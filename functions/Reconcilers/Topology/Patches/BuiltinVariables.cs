using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology.Patches;

/// <summary>The <c>builtin</c> variable as CAPI gives it to patches: <c>builtin.cluster</c> for every object, plus
/// <c>builtin.controlPlane</c>, <c>builtin.machineDeployment</c> or <c>builtin.machinePool</c> for the objects of
/// that part. Fields without a value are left out, as CAPI omits them.</summary>
/// <remarks>CAPI v1beta2 no longer has <c>builtin.cluster.network.ipFamily</c>, so neither does this.</remarks>
internal static class BuiltinVariables
{
    public const string Name = "builtin";

    public static JsonObject Cluster(Cluster cluster)
    {
        var meta = cluster.Metadata;
        var topology = cluster.Spec.Topology!;
        var classNamespace = topology.ClassRef.Namespace ?? meta.NamespaceProperty ?? "";
        var c = new JsonObject
        {
            ["name"] = meta.Name,
            ["namespace"] = meta.NamespaceProperty,
            ["uid"] = meta.Uid,
        };
        if (Metadata(meta.Labels, meta.Annotations) is { } m)
            c["metadata"] = m;
        c["topology"] = new JsonObject
        {
            ["version"] = topology.Version,
            ["class"] = topology.ClassRef.Name,
            ["classNamespace"] = classNamespace,
            ["classRef"] = new JsonObject { ["name"] = topology.ClassRef.Name, ["namespace"] = classNamespace },
        };
        var network = cluster.Spec.ClusterNetwork;
        var n = new JsonObject();
        if (!string.IsNullOrEmpty(network?.ServiceDomain))
            n["serviceDomain"] = network.ServiceDomain;
        if (network?.Services?.CidrBlocks is { } services)
            n["services"] = Strings(services);
        if (network?.Pods?.CidrBlocks is { } pods)
            n["pods"] = Strings(pods);
        if (n.Count > 0)
            c["network"] = n;
        return new JsonObject { ["cluster"] = c };
    }

    public static JsonObject ControlPlane(DesiredTemplates desired)
    {
        var cp = new JsonObject { ["version"] = desired.ControlPlaneVersion };
        if (Name0(desired.ControlPlane) is { } name)
            cp["name"] = name;
        if (desired.ControlPlaneReplicas is { } replicas)
            cp["replicas"] = replicas;
        if (MetadataOf(desired.ControlPlane) is { } m)
            cp["metadata"] = m;
        if (desired.ControlPlaneMachineInfrastructure is { } infra)
            cp["machineTemplate"] = new JsonObject { ["infrastructureRef"] = new JsonObject { ["name"] = Name0(infra) ?? "" } };
        return new JsonObject { ["controlPlane"] = cp };
    }

    /// <param name="key"><c>machineDeployment</c> or <c>machinePool</c>.</param>
    public static JsonObject Worker(string key, WorkerTemplates worker, ObjectMeta? topologyMetadata)
    {
        var w = new JsonObject
        {
            ["version"] = worker.Version,
            ["class"] = worker.Class,
        };
        if (worker.Name is { } name)
            w["name"] = name;
        w["topologyName"] = worker.TopologyName;
        if (worker.Replicas is { } replicas)
            w["replicas"] = replicas;
        if (Metadata(topologyMetadata?.Labels, topologyMetadata?.Annotations) is { } m)
            w["metadata"] = m;
        if (Name0(worker.Bootstrap) is { } bootstrap)
            w["bootstrap"] = new JsonObject { ["configRef"] = new JsonObject { ["name"] = bootstrap } };
        if (Name0(worker.Infrastructure) is { } infrastructure)
            w["infrastructureRef"] = new JsonObject { ["name"] = infrastructure };
        return new JsonObject { [key] = w };
    }

    private static string? Name0(JsonObject obj) => obj["metadata"]?["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonObject? MetadataOf(JsonObject obj) => Metadata(
        (obj["metadata"]?["labels"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? ""),
        (obj["metadata"]?["annotations"] as JsonObject)?.ToDictionary(p => p.Key, p => p.Value?.ToString() ?? ""));

    /// <summary>Labels and annotations, without the bookkeeping annotations CAPI drops (kubectl's last applied
    /// configuration and the conversion data).</summary>
    private static JsonObject? Metadata(IDictionary<string, string>? labels, IDictionary<string, string>? annotations)
    {
        if (labels is null && annotations is null)
            return null;
        var m = new JsonObject();
        if (labels is not null)
            m["labels"] = new JsonObject(labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        if (annotations is not null)
        {
            m["annotations"] = new JsonObject(annotations
                .Where(p => p.Key is not ("kubectl.kubernetes.io/last-applied-configuration" or "cluster.x-k8s.io/conversion-data"))
                .Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        }
        return m;
    }

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
