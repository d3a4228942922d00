using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Base of every JSON object class: keeps fields the types do not know, so a read-modify-write
/// never drops them.</summary>
public abstract class ApiObject
{
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
