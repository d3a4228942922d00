using System.Text.Json;
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

    public static WatchedObject From(object? value) => value switch
    {
        JsonElement element => KubernetesJson.Deserialize<WatchedObject>(element.GetRawText()),
        null => new WatchedObject(),
        _ => KubernetesJson.Deserialize<WatchedObject>(KubernetesJson.Serialize(value)),
    };

    public ObjectEventData ToEventData(RelayKind kind, bool deleted) => new()
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
    };
}

/// <summary>One page of a list.</summary>
internal sealed class WatchedList
{
    [JsonPropertyName("metadata")] public V1ListMeta? Metadata { get; set; }
    [JsonPropertyName("items")] public List<WatchedObject>? Items { get; set; }
}
