using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>Short reads of JSON fields in assertions.</summary>
internal static class JsonNodeExtensions
{
    public static string? Str(this JsonNode? node, string path) => At(node, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static long? Long(this JsonNode? node, string path) => At(node, path) is JsonValue v && v.TryGetValue<long>(out var l) ? l : null;

    public static JsonNode? At(this JsonNode? node, string path)
    {
        foreach (var seg in path.Split('.'))
            node = node is JsonObject o ? o[seg] : null;
        return node;
    }

    public static long Rv(this JsonNode? node) => long.Parse(node.Str("metadata.resourceVersion")!, System.Globalization.CultureInfo.InvariantCulture);
}
