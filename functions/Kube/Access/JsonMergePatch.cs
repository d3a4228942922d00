using System.Text.Json.Nodes;

namespace ServerlessCapi.Kube.Access;

/// <summary>RFC 7386 JSON merge patches: the smallest patch that turns one document into another.</summary>
public static class JsonMergePatch
{
    /// <summary>The merge patch from <paramref name="before"/> to <paramref name="after"/>, or null when equal.</summary>
    /// <remarks>Arrays are replaced whole (merge-patch semantics); removed members become explicit nulls.</remarks>
    public static JsonObject? Create(JsonObject before, JsonObject after)
    {
        var patch = new JsonObject();
        foreach (var (key, oldValue) in before)
        {
            if (!after.ContainsKey(key))
                patch[key] = null;
        }
        foreach (var (key, newValue) in after)
        {
            before.TryGetPropertyValue(key, out var oldValue);
            if (newValue is JsonObject newObj && oldValue is JsonObject oldObj)
            {
                if (Create(oldObj, newObj) is { } sub) patch[key] = sub;
            }
            else if (!JsonNode.DeepEquals(oldValue, newValue) || !before.ContainsKey(key))
            {
                if (newValue is null && !before.ContainsKey(key)) continue;
                patch[key] = newValue?.DeepClone();
            }
        }
        return patch.Count == 0 ? null : patch;
    }

    /// <summary>Applies a merge patch to a document in place and returns it.</summary>
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObj) return patch?.DeepClone();
        var result = target as JsonObject ?? new JsonObject();
        foreach (var (key, value) in patchObj)
        {
            if (value is null)
            {
                result.Remove(key);
                continue;
            }
            result.TryGetPropertyValue(key, out var existing);
            var merged = Apply(existing?.DeepClone(), value);
            result[key] = merged;
        }
        return result;
    }
}
