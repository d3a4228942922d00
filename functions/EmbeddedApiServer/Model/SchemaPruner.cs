using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Model;

/// <summary>Drops fields a CRD's structural schema does not declare and fills schema defaults, as the API server
/// does for custom resources (so code that relies on an undeclared field fails here as it would on a real cluster).</summary>
public static class SchemaPruner
{
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];

    public static void Prune(JsonObject? schema, JsonObject obj)
    {
        if (schema is null) return;
        Walk(schema, obj, isRoot: true);
    }

    private static void Walk(JsonObject schema, JsonNode? node, bool isRoot = false)
    {
        switch (node)
        {
            case JsonObject o:
                WalkObject(schema, o, isRoot);
                break;
            case JsonArray a when schema["items"] is JsonObject items:
                foreach (var item in a) Walk(items, item);
                break;
        }
    }

    private static void WalkObject(JsonObject schema, JsonObject obj, bool isRoot)
    {
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        var embedded = isRoot || schema["x-kubernetes-embedded-resource"]?.GetValue<bool>() == true;
        var properties = schema["properties"] as JsonObject;
        var additional = schema["additionalProperties"] as JsonObject;
        var allowAny = schema["additionalProperties"] is JsonValue v && v.TryGetValue<bool>(out var b) && b;
        foreach (var key in obj.Select(p => p.Key).ToList())
        {
            if (embedded && RootFields.Contains(key)) continue;
            if (properties?[key] is JsonObject propertySchema) Walk(propertySchema, obj[key]);
            else if (additional is not null) Walk(additional, obj[key]);
            else if (!preserve && !allowAny) obj.Remove(key);
        }
        if (properties is null) return;
        foreach (var (key, propertySchema) in properties)
        {
            if (!obj.ContainsKey(key) && propertySchema?["default"] is { } dflt)
            {
                obj[key] = dflt.DeepClone();
                if (propertySchema is JsonObject ps) Walk(ps, obj[key]);
            }
        }
    }
}
