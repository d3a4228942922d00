using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Base of every JSON object class: keeps fields the types do not know, so a read-modify-write
/// never drops them.</summary>
public abstract class ApiObject
{
    // The serializer never writes this name (extension data is flattened into the object), but it checks it for
    // clashes: without it, camelCase makes it "additionalProperties", the name of a schema keyword in JsonSchemaProps.
    [JsonExtensionData, JsonPropertyName("\u0000unknownFields")]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
