using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>A reference to an object in the same namespace whose API version comes from the
/// provider contract (<c>{apiGroup, kind, name}</c>).</summary>
public sealed class ContractVersionedObjectReference : ApiObject
{
    [JsonPropertyName("apiGroup"), KubeRequired]
    public string ApiGroup { get; set; } = "";

    [JsonPropertyName("kind"), KubeRequired]
    public string Kind { get; set; } = "";

    [JsonPropertyName("name"), KubeRequired]
    public string Name { get; set; } = "";

    [JsonIgnore]
    public bool IsDefined => ApiGroup.Length > 0 && Kind.Length > 0 && Name.Length > 0;

    public override string ToString() => $"{Kind}.{ApiGroup}/{Name}";
}

/// <summary>The Node a Machine maps to (<c>status.nodeRef</c>, by name only).</summary>
public sealed class MachineNodeReference : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    public string Name { get; set; } = "";
}

/// <summary>A reference with a full API version (remediation templates of a MachineHealthCheck).</summary>
public sealed class VersionedObjectReference : ApiObject
{
    [JsonPropertyName("apiVersion"), KubeRequired]
    public string ApiVersion { get; set; } = "";

    [JsonPropertyName("kind"), KubeRequired]
    public string Kind { get; set; } = "";

    [JsonPropertyName("name"), KubeRequired]
    public string Name { get; set; } = "";
}
