using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Table;

/// <summary>The JSONPath subset printer columns use: <c>.a.b</c>, <c>.a[0].b</c>, <c>.a[*].b</c> and
/// <c>.a[?(@.type=="Ready")].status</c> and <c>.a['quoted\\.key']</c>. Returns every match in document order.</summary>
public static class JsonPathLite
{
    public static List<JsonNode?> Find(JsonNode? root, string path)
    {
        path = path.Trim();
        if (path.StartsWith('{') && path.EndsWith('}')) path = path[1..^1];
        var current = new List<JsonNode?> { root };
        var i = 0;
        while (i < path.Length && current.Count > 0)
        {
            if (path[i] == '.')
            {
                i++;
                var start = i;
                while (i < path.Length && path[i] is not ('.' or '[')) i++;
                var name = path[start..i];
                if (name.Length == 0) continue;
                current = current.Select(n => n is JsonObject o && o.TryGetPropertyValue(name, out var v) ? v : Missing)
                    .Where(n => !ReferenceEquals(n, Missing)).ToList();
            }
            else if (path[i] == '[')
            {
                var end = FindClose(path, i);
                var inner = path[(i + 1)..end];
                i = end + 1;
                current = current.SelectMany(n => Index(n, inner)).ToList();
            }
            else
            {
                // Tolerate a leading bare name ("status.phase").
                var start = i;
                while (i < path.Length && path[i] is not ('.' or '[')) i++;
                var name = path[start..i];
                current = current.Select(n => n is JsonObject o ? o[name] : null).Where(n => n is not null).ToList();
            }
        }
        return current;
    }

    private static readonly JsonNode Missing = JsonValue.Create("\0missing")!;

    private static int FindClose(string path, int open)
    {
        var depth = 0;
        for (var j = open; j < path.Length; j++)
        {
            if (path[j] == '[') depth++;
            else if (path[j] == ']' && --depth == 0) return j;
        }
        return path.Length - 1;
    }

    private static IEnumerable<JsonNode?> Index(JsonNode? node, string inner)
    {
        inner = inner.Trim();
        // A quoted member name, as label and annotation keys need: ['cluster\.x-k8s\.io/cluster-name'].
        if (node is JsonObject o && inner.Length >= 2 && inner[0] is '\'' or '"' && inner[^1] == inner[0])
        {
            var key = inner[1..^1].Replace("\\.", ".", StringComparison.Ordinal);
            return o.TryGetPropertyValue(key, out var v) ? [v] : [];
        }
        if (node is not JsonArray a) return [];
        if (inner == "*") return a;
        if (int.TryParse(inner, out var idx))
        {
            if (idx < 0) idx += a.Count;
            return idx >= 0 && idx < a.Count ? [a[idx]] : [];
        }
        if (inner.StartsWith("?(", StringComparison.Ordinal) && inner.EndsWith(')'))
            return a.Where(e => Filter(e, inner[2..^1]));
        return [];
    }

    /// <summary>Supports <c>@.field==value</c> and <c>@.field!=value</c> with quoted or bare values.</summary>
    private static bool Filter(JsonNode? element, string expr)
    {
        var negate = expr.Contains("!=", StringComparison.Ordinal);
        var parts = expr.Split(negate ? "!=" : "==", 2);
        if (parts.Length != 2) return Find(element, parts[0].Trim().TrimStart('@')).Count > 0;
        var left = Find(element, parts[0].Trim().TrimStart('@')).FirstOrDefault();
        var right = parts[1].Trim().Trim('"', '\'');
        var equal = left is not null && Text(left) == right;
        return negate ? !equal : equal;
    }

    public static string Text(JsonNode node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node.ToJsonString();
}
