using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>A reference to an object in the same namespace whose API version comes from the
/// provider contract (<c>{apiGroup, kind, name}</c>).</summary>
public sealed class ContractVersionedObjectReference : ApiObject
{
    [JsonPropertyName("apiGroup"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253), KubePattern(KubePatterns.DnsSubdomain)]
    public string ApiGroup { get; set; } = "";

    [JsonPropertyName("kind"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63), KubePattern(KubePatterns.Kind)]
    public string Kind { get; set; } = "";

    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253), KubePattern(KubePatterns.DnsSubdomain)]
    public string Name { get; set; } = "";

    [JsonIgnore]
    public bool IsDefined => ApiGroup.Length > 0 && Kind.Length > 0 && Name.Length > 0;

    /// <summary>A reference to <paramref name="obj"/> (same namespace as the referrer).</summary>
    public static ContractVersionedObjectReference To(k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> obj) => new()
    {
        ApiGroup = GroupOf(obj.ApiVersion),
        Kind = obj.Kind,
        Name = obj.Metadata.Name,
    };

    /// <summary>Whether this reference names <paramref name="obj"/> (any version of its group).</summary>
    public bool RefersTo(k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> obj) =>
        ApiGroup == GroupOf(obj.ApiVersion) && Kind == obj.Kind && Name == obj.Metadata.Name;

    /// <summary>The group of an apiVersion (<c>""</c> for the core group, <c>v1</c>).</summary>
    public static string GroupOf(string? apiVersion) =>
        apiVersion is null ? "" : apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    public override string ToString() => $"{Kind}.{ApiGroup}/{Name}";
}

/// <summary>The Node a Machine maps to (<c>status.nodeRef</c>, by name only).</summary>
public sealed class MachineNodeReference : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253), KubePattern(KubePatterns.DnsSubdomain)]
    public string Name { get; set; } = "";
}

/// <summary>A reference with a full API version (remediation templates of a MachineHealthCheck).</summary>
public sealed class VersionedObjectReference : ApiObject
{
    [JsonPropertyName("apiVersion"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(317), KubePattern(KubePatterns.GroupVersion)]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63), KubePattern(KubePatterns.Kind)]
    public string Kind { get; set; } = "";

    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253), KubePattern(KubePatterns.DnsSubdomain)]
    public string Name { get; set; } = "";
}
