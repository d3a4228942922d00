using System.Text.Json.Serialization;

namespace ServerlessCapi.Kube.Events;

/// <summary>The data of an object-change CloudEvent: the object's key and version, never its contents
/// (a handler always reads fresh state).</summary>
public sealed record ObjectEventData
{
    [JsonPropertyName("apiVersion")] public required string ApiVersion { get; init; }
    [JsonPropertyName("kind")] public required string Kind { get; init; }
    [JsonPropertyName("namespace")] public string? Namespace { get; init; }
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("uid")] public required string Uid { get; init; }
    [JsonPropertyName("resourceVersion")] public string? ResourceVersion { get; init; }
    [JsonPropertyName("generation")] public long? Generation { get; init; }

    /// <summary>Deletion has begun (deletionTimestamp set) or the object is gone.</summary>
    [JsonPropertyName("deleting")] public bool Deleting { get; init; }

    /// <summary>The object no longer exists.</summary>
    [JsonPropertyName("deleted")] public bool Deleted { get; init; }

    /// <summary>Owner references, so routes can wake owners without reading the object.</summary>
    [JsonPropertyName("owners")] public IReadOnlyList<OwnerKey>? Owners { get; init; }

    /// <summary>Labels, so routes can wake objects named by a label (for example the cluster-name label).</summary>
    [JsonPropertyName("labels")] public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Objects named in the spec that wait on this one (a Machine's infrastructure machine and bootstrap
    /// config, a Cluster's infrastructure cluster and control plane), same namespace.</summary>
    [JsonPropertyName("refs")] public IReadOnlyList<ObjectRef>? Refs { get; init; }

    /// <summary>The <see cref="ObjectAspects"/> this change touched since the previous relayed version; absent when the
    /// relay cannot tell (everything, then).</summary>
    [JsonPropertyName("changed")] public IReadOnlyList<string>? Changed { get; init; }
}

/// <summary>A reference by kind and name, in the referencing object's namespace.</summary>
public sealed record ObjectRef(
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("name")] string Name);

/// <summary>One owner reference.</summary>
public sealed record OwnerKey(
    [property: JsonPropertyName("apiVersion")] string ApiVersion,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("uid")] string Uid,
    [property: JsonPropertyName("controller")] bool Controller);
