using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Labels and annotations for objects created from a template.</summary>
[KubeProperties(1)]
public sealed class ObjectMeta : ApiObject
{
    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}
