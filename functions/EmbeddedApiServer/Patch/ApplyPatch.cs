using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Patch;

/// <summary>Server-side apply, simplified: the applied configuration is merged into the live object (maps
/// merge, list-maps merge by key, sets union, other lists replace); absent objects are created.</summary>
/// <remarks>Field ownership is not tracked, so fields a manager stops applying are not removed and
/// conflicts between managers are never reported.</remarks>
public static class ApplyPatch
{
    public static JsonObject Apply(ResourceType type, JsonObject? live, JsonObject applied, string version)
    {
        var expected = type.GroupVersion(version);
        if (ObjectRules(applied, "apiVersion") is { } apiVersion && apiVersion != expected)
            throw ApiException.BadRequest($"the API version in the data ({apiVersion}) does not match the expected API version ({expected})");
        if (ObjectRules(applied, "kind") is { } kind && kind != type.Kind)
            throw ApiException.BadRequest($"the kind in the data ({kind}) does not match the expected kind ({type.Kind})");
        if (live is null) return applied;
        var meta = applied["metadata"] as JsonObject;
        meta?.Remove("resourceVersion");
        return StrategicMergePatch.MergeObject(type, live, applied, "", type.Schema);
    }

    private static string? ObjectRules(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
