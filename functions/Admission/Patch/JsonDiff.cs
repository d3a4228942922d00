using System.Text.Json.Nodes;

namespace ServerlessCapi.Admission;

/// <summary>Differences between two JSON documents: as an RFC 6902 patch (what a mutating webhook answers) and as
/// the list of changed paths a JSON merge patch would carry (what CAPI's update checks walk).</summary>
public static class JsonDiff
{
    /// <summary>Operations turning <paramref name="original"/> into <paramref name="modified"/>. Objects are compared
    /// member by member; a changed array is replaced whole. Without <paramref name="removals"/> no member is removed,
    /// as controller-runtime's defaulters never remove fields their types do not know.</summary>
    public static JsonArray CreatePatch(JsonNode? original, JsonNode? modified, bool removals = false)
    {
        var operations = new JsonArray();
        Walk(original, modified, "", operations, removals);
        return operations;
    }

    /// <summary>The paths (member names from the root) whose values differ, down to the first non-object value.</summary>
    public static List<string[]> ChangedPaths(JsonNode? original, JsonNode? modified)
    {
        var paths = new List<string[]>();
        Collect(original, modified, [], paths);
        return paths;
    }

    private static void Walk(JsonNode? a, JsonNode? b, string pointer, JsonArray operations, bool removals)
    {
        if (a is JsonObject ao && b is JsonObject bo)
        {
            foreach (var (key, value) in bo)
            {
                var path = pointer + "/" + Escape(key);
                if (!ao.TryGetPropertyValue(key, out var before))
                    operations.Add(new JsonObject { ["op"] = "add", ["path"] = path, ["value"] = value?.DeepClone() });
                else
                    Walk(before, value, path, operations, removals);
            }
            if (removals)
            {
                foreach (var (key, _) in ao)
                {
                    if (!bo.ContainsKey(key))
                        operations.Add(new JsonObject { ["op"] = "remove", ["path"] = pointer + "/" + Escape(key) });
                }
            }
            return;
        }
        if (!JsonNode.DeepEquals(a, b))
            operations.Add(new JsonObject { ["op"] = "replace", ["path"] = pointer, ["value"] = b?.DeepClone() });
    }

    private static void Collect(JsonNode? a, JsonNode? b, List<string> prefix, List<string[]> paths)
    {
        if (a is JsonObject ao && b is JsonObject bo)
        {
            foreach (var key in ao.Select(p => p.Key).Union(bo.Select(p => p.Key)))
            {
                ao.TryGetPropertyValue(key, out var before);
                bo.TryGetPropertyValue(key, out var after);
                if (JsonNode.DeepEquals(before, after))
                    continue;
                // A merge patch carries an added object whole, so its members are the changed paths.
                Collect(before is JsonObject ? before : after is JsonObject ? new JsonObject() : before,
                    after is JsonObject || before is not JsonObject ? after : null, [.. prefix, key], paths);
            }
            return;
        }
        if (!JsonNode.DeepEquals(a, b))
            paths.Add([.. prefix]);
    }

    private static string Escape(string key) => key.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
