using System.Text.Json.Nodes;

namespace ServerlessCapi.Admission;

/// <summary>Applies the add / replace / remove operations <see cref="JsonDiff"/> produces (object members and whole
/// values), as the API server applies a webhook's patch.</summary>
public static class JsonPatchApplier
{
    public static JsonNode Apply(JsonNode document, JsonArray patch)
    {
        var root = document.DeepClone();
        foreach (var operation in patch.OfType<JsonObject>())
        {
            var op = operation["op"]!.GetValue<string>();
            var path = operation["path"]!.GetValue<string>();
            var value = operation["value"]?.DeepClone();
            if (path.Length == 0)
            {
                root = value ?? throw new InvalidOperationException("A patch cannot replace the document with nothing.");
                continue;
            }
            var segments = path[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
            var parent = root;
            foreach (var segment in segments[..^1])
                parent = parent[segment] ?? throw new InvalidOperationException($"Patch path {path} does not exist.");
            var target = parent as JsonObject ?? throw new InvalidOperationException($"Patch path {path} is not an object member.");
            switch (op)
            {
                case "add" or "replace":
                    target[segments[^1]] = value;
                    break;
                case "remove":
                    target.Remove(segments[^1]);
                    break;
                default:
                    throw new NotSupportedException($"Patch operation {op} is not supported.");
            }
        }
        return root;
    }
}
