using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using k8s;
using k8s.Models;
using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Kube.Relay;

/// <summary>Only what the relay needs of a watched object: its metadata.</summary>
internal sealed class WatchedObject
{
    [JsonPropertyName("apiVersion")] public string? ApiVersion { get; set; }
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("metadata")] public V1ObjectMeta? Metadata { get; set; }

    /// <summary>Of the spec only the references to objects that wait on this one (Cluster API contracts).</summary>
    [JsonPropertyName("spec")] public WatchedSpec? Spec { get; set; }

    /// <summary>Read only to tell what a change touched (<see cref="Fingerprint"/>); never relayed.</summary>
    [JsonPropertyName("status")] public JsonElement? Status { get; set; }

    public static WatchedObject From(object? value) => value switch
    {
        JsonElement element => KubernetesJson.Deserialize<WatchedObject>(element.GetRawText()),
        null => new WatchedObject(),
        _ => KubernetesJson.Deserialize<WatchedObject>(KubernetesJson.Serialize(value)),
    };

    public ObjectEventData ToEventData(RelayKind kind, bool deleted, IReadOnlyList<string>? changed = null) => new()
    {
        ApiVersion = ApiVersion ?? kind.ApiVersion,
        Kind = Kind ?? kind.Kind,
        Namespace = Metadata?.NamespaceProperty,
        Name = Metadata?.Name ?? "",
        Uid = Metadata?.Uid ?? "",
        ResourceVersion = Metadata?.ResourceVersion,
        Generation = Metadata?.Generation,
        Deleting = deleted || Metadata?.DeletionTimestamp is not null,
        Deleted = deleted,
        Owners = Metadata?.OwnerReferences?.Select(o => new OwnerKey(o.ApiVersion, o.Kind, o.Name, o.Uid, o.Controller ?? false)).ToList(),
        Labels = Metadata?.Labels is { Count: > 0 } labels ? new Dictionary<string, string>(labels) : null,
        Refs = Spec?.References() is { Count: > 0 } refs ? refs : null,
        Changed = changed,
    };

    /// <summary>Digests of the object's <see cref="ObjectAspects"/>, to compare with its previous version's.</summary>
    public ObjectFingerprint Fingerprint()
    {
        var m = Metadata;
        var meta = new JsonObject
        {
            ["generation"] = m?.Generation,
            ["labels"] = Sorted(m?.Labels),
            ["annotations"] = Sorted(m?.Annotations),
            ["finalizers"] = new JsonArray((m?.Finalizers ?? []).Select(f => (JsonNode?)f).ToArray()),
            ["owners"] = new JsonArray((m?.OwnerReferences ?? []).Select(o => (JsonNode?)$"{o.Uid}:{o.Controller}").ToArray()),
            ["deleting"] = m?.DeletionTimestamp is not null,
        };
        var status = Status is { ValueKind: JsonValueKind.Object } s ? JsonNode.Parse(s.GetRawText())!.AsObject() : new JsonObject();
        WithoutTimestamps(status);
        var availability = new JsonObject
        {
            ["phase"] = status["phase"]?.DeepClone(),
            ["nodeRef"] = status["nodeRef"]?.DeepClone(),
            ["initialization"] = status["initialization"]?.DeepClone(),
            ["failureDomains"] = status["failureDomains"]?.DeepClone(),
            ["conditions"] = new JsonArray((status["conditions"] as JsonArray ?? [])
                .Where(c => c?["type"]?.GetValue<string>() is "Ready" or "Available" or "UpToDate")
                .Select(c => c!.DeepClone()).ToArray()),
        };
        var initialization = new JsonObject { ["initialization"] = status["initialization"]?.DeepClone() };
        return new ObjectFingerprint(Digest(meta), Digest(status), Digest(availability), Digest(initialization));
    }

    private static JsonObject Sorted(IDictionary<string, string>? map)
    {
        var sorted = new JsonObject();
        foreach (var (k, v) in (map ?? new Dictionary<string, string>()).OrderBy(kv => kv.Key, StringComparer.Ordinal)) sorted[k] = v;
        return sorted;
    }

    private static readonly HashSet<string> Timestamps = new(StringComparer.Ordinal)
    {
        "lastTransitionTime", "lastUpdated", "lastHeartbeatTime", "lastProbeTime",
    };

    private static void WithoutTimestamps(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in o.Select(p => p.Key).Where(Timestamps.Contains).ToList()) o.Remove(key);
                foreach (var (_, child) in o) WithoutTimestamps(child);
                break;
            case JsonArray a:
                foreach (var child in a) WithoutTimestamps(child);
                break;
        }
    }

    private static string Digest(JsonNode node) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(node.ToJsonString()))[..16]);
}

/// <summary>Digests of what routes compare between two versions of an object.</summary>
internal sealed record ObjectFingerprint(string Meta, string Status, string Availability, string Initialization)
{
    /// <summary>The aspects that differ from <paramref name="previous"/>.</summary>
    public IReadOnlyList<string> ChangedSince(ObjectFingerprint previous)
    {
        var changed = new List<string>(4);
        if (Availability != previous.Availability) changed.Add(ObjectAspects.Availability);
        if (Initialization != previous.Initialization) changed.Add(ObjectAspects.Initialization);
        if (Meta != previous.Meta) changed.Add(ObjectAspects.Meta);
        if (Status != previous.Status) changed.Add(ObjectAspects.Status);
        return changed;
    }
}

/// <summary>The references a Cluster (infrastructure, control plane) or a Machine (infrastructure, bootstrap
/// config) holds in its spec.</summary>
internal sealed class WatchedSpec
{
    [JsonPropertyName("infrastructureRef")] public WatchedRef? InfrastructureRef { get; set; }
    [JsonPropertyName("controlPlaneRef")] public WatchedRef? ControlPlaneRef { get; set; }
    [JsonPropertyName("bootstrap")] public WatchedBootstrap? Bootstrap { get; set; }

    public List<ObjectRef> References() =>
        new[] { InfrastructureRef, ControlPlaneRef, Bootstrap?.ConfigRef }
            .Where(r => r is { Kind.Length: > 0, Name.Length: > 0 })
            .Select(r => new ObjectRef(r!.Kind!, r.Name!))
            .ToList();
}

internal sealed class WatchedBootstrap
{
    [JsonPropertyName("configRef")] public WatchedRef? ConfigRef { get; set; }
}

internal sealed class WatchedRef
{
    [JsonPropertyName("kind")] public string? Kind { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
}

/// <summary>One page of a list.</summary>
internal sealed class WatchedList
{
    [JsonPropertyName("metadata")] public V1ListMeta? Metadata { get; set; }
    [JsonPropertyName("items")] public List<WatchedObject>? Items { get; set; }
}
