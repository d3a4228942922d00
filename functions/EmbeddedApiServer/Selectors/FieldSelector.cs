using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Selectors;

/// <summary>A field selector (=, ==, !=) over the fields Kubernetes indexes for a kind.</summary>
public sealed class FieldSelector
{
    private sealed record Term(string Field, string Value, bool Negated);

    private static readonly Dictionary<string, string[]> ExtraFields = new(StringComparer.Ordinal)
    {
        ["Secret"] = ["type"],
        ["Namespace"] = ["status.phase"],
        ["Event"] = ["involvedObject.kind", "involvedObject.name", "involvedObject.namespace", "involvedObject.uid",
            "reason", "type", "regarding.kind", "regarding.name", "regarding.namespace", "regarding.uid"],
        ["Node"] = ["spec.unschedulable"],
        ["Pod"] = ["spec.nodeName", "spec.restartPolicy", "spec.schedulerName", "spec.serviceAccountName", "spec.hostNetwork",
            "status.phase", "status.podIP", "status.nominatedNodeName"],
    };

    private readonly List<Term> _terms;

    private FieldSelector(List<Term> terms) => _terms = terms;

    public static FieldSelector Everything { get; } = new([]);

    public bool IsEmpty => _terms.Count == 0;

    /// <summary>The name this selector pins (metadata.name=x), which lets a watch skip every other key.</summary>
    public string? PinnedName => _terms.FirstOrDefault(t => t.Field == "metadata.name" && !t.Negated)?.Value;

    public static FieldSelector Parse(string? text, string kind)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var terms = new List<Term>();
        foreach (var raw in text.Split(','))
        {
            var part = raw.Trim();
            var negated = false;
            int at;
            int width;
            if ((at = part.IndexOf("!=", StringComparison.Ordinal)) > 0) { negated = true; width = 2; }
            else if ((at = part.IndexOf("==", StringComparison.Ordinal)) > 0) width = 2;
            else if ((at = part.IndexOf('=', StringComparison.Ordinal)) > 0) width = 1;
            else throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{part}'");
            var field = part[..at].Trim();
            if (field is not ("metadata.name" or "metadata.namespace")
                && !(ExtraFields.TryGetValue(kind, out var extra) && extra.Contains(field)))
                throw ApiException.BadRequest($"field label not supported: {field}");
            terms.Add(new Term(field, part[(at + width)..].Trim(), negated));
        }
        return new FieldSelector(terms);
    }

    public bool Matches(StoredObject obj)
    {
        JsonObject? parsed = null;
        foreach (var t in _terms)
        {
            var actual = t.Field switch
            {
                "metadata.name" => obj.Name,
                "metadata.namespace" => obj.Namespace ?? "",
                _ => Lookup(parsed ??= obj.Parse(), t.Field),
            };
            if ((actual == t.Value) == t.Negated) return false;
        }
        return true;
    }

    private static string Lookup(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var seg in path.Split('.'))
            node = node is JsonObject o ? o[seg] : null;
        return node switch
        {
            null => "",
            JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
            _ => node.ToString(),
        };
    }
}
