using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;

namespace ServerlessCapi.EmbeddedApiServer.Patch;

/// <summary>JSON patch (RFC 6902): add, remove, replace, move, copy and test over JSON pointers.</summary>
public static class JsonPatch
{
    public static JsonObject Apply(JsonObject target, JsonNode? patch)
    {
        if (patch is not JsonArray ops) throw ApiException.BadRequest("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
        JsonNode root = target;
        foreach (var raw in ops)
        {
            if (raw is not JsonObject op) throw ApiException.BadRequest("invalid JSON patch operation");
            var kind = op["op"]?.GetValue<string>() ?? throw ApiException.BadRequest("Unexpected kind: missing op");
            var path = op["path"]?.GetValue<string>() ?? throw Unprocessable($"missing path in {kind} operation");
            switch (kind)
            {
                case "add": Add(root, path, Value(op)); break;
                case "remove": Remove(root, path); break;
                case "replace":
                    Remove(root, path);
                    Add(root, path, Value(op));
                    break;
                case "move":
                    var moved = Remove(root, From(op));
                    Add(root, path, moved);
                    break;
                case "copy": Add(root, path, Resolve(root, From(op))?.DeepClone()); break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(root, path), op["value"]))
                        throw Unprocessable($"testing value {path} failed: test failed");
                    break;
                default: throw ApiException.BadRequest($"Unexpected kind: {kind}");
            }
        }
        return root as JsonObject ?? throw Unprocessable("patch replaced the object with a non-object");
    }

    private static JsonNode? Value(JsonObject op) =>
        op.TryGetPropertyValue("value", out var v) ? v?.DeepClone() : throw Unprocessable("missing value");

    private static string From(JsonObject op) => op["from"]?.GetValue<string>() ?? throw Unprocessable("missing from");

    private static List<string> Tokens(string pointer)
    {
        if (pointer.Length == 0) return [];
        if (pointer[0] != '/') throw Unprocessable($"invalid JSON pointer {pointer}");
        return pointer[1..].Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
    }

    private static JsonNode? Resolve(JsonNode root, string pointer)
    {
        JsonNode? node = root;
        foreach (var t in Tokens(pointer))
        {
            node = node switch
            {
                JsonObject o when o.TryGetPropertyValue(t, out var child) => child,
                JsonArray a when int.TryParse(t, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw Unprocessable($"doc is missing path: \"{pointer}\": missing value"),
            };
        }
        return node;
    }

    private static (JsonNode Parent, string Last) Parent(JsonNode root, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Count == 0) throw Unprocessable("cannot operate on the document root");
        var parentPointer = pointer[..pointer.LastIndexOf('/')];
        var parent = Resolve(root, parentPointer) ?? throw Unprocessable($"doc is missing path: \"{pointer}\": missing value");
        return (parent, tokens[^1]);
    }

    private static void Add(JsonNode root, string pointer, JsonNode? value)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default: throw Unprocessable($"add operation does not apply: doc is missing path: \"{pointer}\": missing value");
        }
    }

    private static JsonNode? Remove(JsonNode root, string pointer)
    {
        var (parent, last) = Parent(root, pointer);
        switch (parent)
        {
            case JsonObject o when o.Remove(last, out var removed):
                return removed;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count:
                var item = a[i];
                a.RemoveAt(i);
                return item;
            default: throw Unprocessable($"doc is missing path: \"{pointer}\": missing value");
        }
    }

    private static ApiException Unprocessable(string message) => new(422, "Invalid", message);
}
