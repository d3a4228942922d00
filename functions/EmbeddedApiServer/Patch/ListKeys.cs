using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Patch;

/// <summary>How a list merges in strategic merge patch and server-side apply.</summary>
public enum ListMerge { Replace, Set, ByKey }

/// <summary>The list merge rules: Kubernetes' patchMergeKey tags for the built-in kinds served here, and the
/// x-kubernetes-list-type / list-map-keys markers of a CRD schema.</summary>
public static class ListKeys
{
    private static readonly Dictionary<string, (ListMerge Merge, string? Key)> Common = new(StringComparer.Ordinal)
    {
        ["metadata.finalizers"] = (ListMerge.Set, null),
        ["metadata.ownerReferences"] = (ListMerge.ByKey, "uid"),
    };

    private static readonly Dictionary<string, (ListMerge Merge, string? Key)> ByKind = new(StringComparer.Ordinal)
    {
        ["Node:status.conditions"] = (ListMerge.ByKey, "type"),
        ["Node:status.addresses"] = (ListMerge.ByKey, "type"),
        ["Node:status.volumesAttached"] = (ListMerge.ByKey, "name"),
        ["Namespace:status.conditions"] = (ListMerge.ByKey, "type"),
    };

    public static (ListMerge Merge, string? Key) For(ResourceType type, string path, JsonObject? schema)
    {
        if (Common.TryGetValue(path, out var common)) return common;
        if (ByKind.TryGetValue($"{type.Kind}:{path}", out var rule)) return rule;
        if (schema is null) return (ListMerge.Replace, null);
        return schema["x-kubernetes-list-type"]?.GetValue<string>() switch
        {
            "set" => (ListMerge.Set, null),
            "map" when schema["x-kubernetes-list-map-keys"] is JsonArray { Count: > 0 } keys => (ListMerge.ByKey, keys[0]!.GetValue<string>()),
            _ => (ListMerge.Replace, null),
        };
    }

    /// <summary>The schema of a property below an object schema (null when unknown).</summary>
    public static JsonObject? Child(JsonObject? schema, string key) =>
        schema?["properties"]?[key] as JsonObject ?? schema?["additionalProperties"] as JsonObject;
}
