using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Patch;

/// <summary>JSON merge patch (RFC 7386): objects merge, null deletes, everything else replaces.</summary>
public static class MergePatch
{
    public static JsonObject Apply(JsonObject target, JsonObject patch) => (JsonObject)Merge(target, patch)!;

    private static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p) return patch?.DeepClone();
        var t = target as JsonObject ?? [];
        foreach (var (key, value) in p)
        {
            if (value is null)
            {
                t.Remove(key);
                continue;
            }
            t.Remove(key, out var existing);
            t[key] = Merge(existing, value);
        }
        return t;
    }
}
