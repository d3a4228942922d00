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

    /// <summary>Read only for the references the kind names (<see cref="RelayKind.References"/>); never relayed.</summary>
    [JsonPropertyName("spec")] public JsonElement? Spec { get; set; }

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
        Refs = References(kind) is { Count: > 0 } refs ? refs : null,
        Changed = changed,
    };

    /// <summary>The <c>{kind, name}</c> objects at the kind's reference paths (the first segment <c>spec</c>).</summary>
    private List<ObjectRef> References(RelayKind kind)
    {
        var refs = new List<ObjectRef>();
        if (Spec is not { ValueKind: JsonValueKind.Object } spec) return refs;
        foreach (var path in kind.References)
        {
            var segments = path.Split('.');
            if (segments.Length < 2 || segments[0] != "spec") continue;
            var node = spec;
            var found = true;
            foreach (var segment in segments.Skip(1))
            {
                if (node.ValueKind != JsonValueKind.Object || !node.TryGetProperty(segment, out node))
                {
                    found = false;
                    break;
                }
            }
            if (found && node.ValueKind == JsonValueKind.Object && Text(node, "kind") is { } refKind && Text(node, "name") is { } refName)
                refs.Add(new ObjectRef(refKind, refName));
        }
        return refs;
    }

    private static string? Text(JsonElement e, string property) =>
        e.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    /// <summary>Digests of the object's metadata, status and each of <paramref name="aspects"/>, to compare with its
    /// previous version's.</summary>
    public ObjectFingerprint Fingerprint(IReadOnlyList<ObjectAspect> aspects)
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
        var digests = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var aspect in aspects)
        {
            var part = new JsonObject();
            foreach (var field in aspect.StatusFields) part[field] = status[field]?.DeepClone();
            part["conditions"] = new JsonArray((status["conditions"] as JsonArray ?? [])
                .Where(c => c?["type"]?.GetValue<string>() is { } type && aspect.ConditionTypes.Contains(type, StringComparer.Ordinal))
                .Select(c => c!.DeepClone()).ToArray());
            digests[aspect.Name] = Digest(part);
        }
        return new ObjectFingerprint(Digest(meta), Digest(status), digests);
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
internal sealed record ObjectFingerprint(string Meta, string Status, IReadOnlyDictionary<string, string> Aspects)
{
    /// <summary>The aspects that differ from <paramref name="previous"/>.</summary>
    public IReadOnlyList<string> ChangedSince(ObjectFingerprint previous)
    {
        var changed = Aspects.Where(a => previous.Aspects.GetValueOrDefault(a.Key) != a.Value).Select(a => a.Key).ToList();
        if (Meta != previous.Meta) changed.Add(ObjectAspects.Meta);
        if (Status != previous.Status) changed.Add(ObjectAspects.Status);
        return changed;
    }
}

/// <summary>One page of a list.</summary>
internal sealed class WatchedList
{
    [JsonPropertyName("metadata")] public V1ListMeta? Metadata { get; set; }
    [JsonPropertyName("items")] public List<WatchedObject>? Items { get; set; }
}
