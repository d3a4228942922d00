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

    /// <summary>Of the spec only the references to objects that wait on this one (Cluster API contracts).</summary>
    [JsonPropertyName("spec")] public WatchedSpec? Spec { get; set; }

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
        Refs = Spec?.References() is { Count: > 0 } refs ? refs : null,
    };
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
