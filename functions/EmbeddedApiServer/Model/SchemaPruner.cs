using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Model;

/// <summary>Drops fields a CRD's structural schema does not declare and fills schema defaults, as the API server
/// does for custom resources (so code that relies on an undeclared field fails here as it would on a real cluster).</summary>
public static class SchemaPruner
{
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];

    /// <summary>Prunes in place and returns the paths of the fields it dropped (for fieldValidation).</summary>
    public static List<string> Prune(JsonObject? schema, JsonObject obj)
    {
        var pruned = new List<string>();
        if (schema is not null) Walk(schema, obj, "", pruned, isRoot: true);
        return pruned;
    }

    /// <summary>Prunes a value below the root (a schema default) and returns the dropped paths.</summary>
    public static List<string> PruneValue(JsonObject schema, JsonNode value)
    {
        var pruned = new List<string>();
        Walk(schema, value, "", pruned);
        return pruned;
    }

    private static void Walk(JsonObject schema, JsonNode? node, string path, List<string> pruned, bool isRoot = false)
    {
        switch (node)
        {
            case JsonObject o:
                WalkObject(schema, o, path, pruned, isRoot);
                break;
            case JsonArray a when schema["items"] is JsonObject items:
                for (var i = 0; i < a.Count; i++) Walk(items, a[i], $"{path}[{i}]", pruned);
                break;
        }
    }

    private static void WalkObject(JsonObject schema, JsonObject obj, string path, List<string> pruned, bool isRoot)
    {
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var embedded = isRoot || schema["x-kubernetes-embedded-resource"]?.GetValue<bool>() == true;
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var allowAny = schema["additionalProperties"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (embedded && RootFields.Contains(key)) continue;
            var childPath = path.Length == 0 ? key : $"{path}.{key}";
            if (properties?[key] is JsonObject propertySchema) Walk(propertySchema, obj[key], childPath, pruned);
            else if (additional is not null) Walk(additional, obj[key], childPath, pruned);
            else if (!preserve && !allowAny)
            {
                obj.Remove(key);
                pruned.Add(childPath);
            }
        }
        if (properties is null) return;
        foreach (var (key, propertySchema) in properties)
        {
            if (!obj.ContainsKey(key) && propertySchema?["default"] is { } dflt)
            {
                obj[key] = dflt.DeepClone();
                if (propertySchema is JsonObject ps) Walk(ps, obj[key], path.Length == 0 ? key : $"{path}.{key}", []);
            }
        }
    }
}
