using System.Text.Json.Nodes;

namespace ServerlessCapi.Api.Tests;

/// <summary>One line of <c>capi-rules.tsv</c>: a rule of CAPI's schema at a path of one kind, or a field whose
/// rules are skipped because the types do not model it.</summary>
internal sealed record CapiRule(string Kind, string Path, string Rule, string Value, string? Skipped, int Line)
{
    public override string ToString() => $"{Kind} {Path} {Rule} {Value}";
}

/// <summary>Reads the checked-in table of CAPI's rules and checks generated schemas against it.</summary>
internal static class CapiRuleTable
{
    /// <summary>The schema keywords the table speaks of (besides <c>required</c>, listed per field).</summary>
    public static readonly string[] Keywords =
    [
        "minLength", "maxLength", "minimum", "maximum", "pattern", "format", "enum", "minItems", "maxItems",
        "minProperties", "maxProperties", "x-kubernetes-validations", "x-kubernetes-list-type",
        "x-kubernetes-list-map-keys", "x-kubernetes-map-type", "default",
    ];

    private static readonly Lazy<IReadOnlyList<CapiRule>> Rows = new(() => Parse(File.ReadAllLines(
        Path.Combine(AppContext.BaseDirectory, "CapiRules", "capi-rules.tsv"))));

    public static IReadOnlyList<CapiRule> All => Rows.Value;

    public static IReadOnlyList<CapiRule> Parse(IEnumerable<string> lines)
    {
        var rows = new List<CapiRule>();
        var number = 0;
        foreach (var line in lines)
        {
            number++;
            if (line.Length == 0 || line.StartsWith('#'))
                continue;
            var cells = line.Split('\t');
            if (cells.Length is < 4 or > 5)
                throw new FormatException($"capi-rules.tsv line {number}: expected 4 or 5 tab-separated cells");
            var skipped = cells.Length == 5 ? cells[4] : null;
            if (skipped is not null && !skipped.StartsWith("skipped: ", StringComparison.Ordinal))
                throw new FormatException($"capi-rules.tsv line {number}: the fifth cell must read `skipped: reason`");
            rows.Add(new CapiRule(cells[0], cells[1], cells[2], cells[3], skipped?["skipped: ".Length..], number));
        }
        return rows;
    }

    /// <summary>The schema node at a table path (<c>a.b[].c{}</c>), or null where the schema has none.</summary>
    public static JsonObject? Node(JsonObject root, string path)
    {
        JsonNode? node = root;
        foreach (var segment in path.Split('.'))
        {
            var name = segment.TrimEnd('[', ']', '{', '}');
            node = node?["properties"]?[name];
            foreach (var suffix in segment[name.Length..].Chunk(2).Select(c => new string(c)))
                node = suffix == "[]" ? node?["items"] : node?["additionalProperties"];
        }
        return node as JsonObject;
    }

    /// <summary>Why <paramref name="rule"/> does not hold in <paramref name="root"/>, or null when it does.</summary>
    public static string? Mismatch(JsonObject root, CapiRule rule)
    {
        if (rule.Rule == "required")
        {
            var cut = rule.Path.LastIndexOf('.');
            var parent = cut < 0 ? root : Node(root, rule.Path[..cut]);
            var field = rule.Path[(cut + 1)..];
            return parent?["required"]?.AsArray().Any(r => r!.GetValue<string>() == field) == true
                ? null
                : $"{rule}: {field} is not required";
        }
        var node = Node(root, rule.Path);
        if (node is null)
            return $"{rule}: the schema has no {rule.Path}";
        var expected = JsonNode.Parse(rule.Value);
        if (rule.Rule == "x-kubernetes-validations")
        {
            return node["x-kubernetes-validations"]?.AsArray().Any(v => JsonNode.DeepEquals(v, expected)) == true
                ? null
                : $"{rule}: not among {node["x-kubernetes-validations"]?.ToJsonString() ?? "no rules"}";
        }
        return JsonNode.DeepEquals(node[rule.Rule], expected) ? null : $"{rule}: the schema has {node[rule.Rule]?.ToJsonString() ?? "none"}";
    }

    /// <summary>Every rule a generated schema carries, in the table's terms (one per CEL rule and per required field).</summary>
    public static IEnumerable<(string Path, string Rule, JsonNode Value)> RulesIn(JsonObject node, string path = "")
    {
        foreach (var keyword in Keywords)
        {
            if (node[keyword] is not { } value || path.Length == 0)
                continue;
            if (keyword == "x-kubernetes-validations")
            {
                foreach (var v in value.AsArray())
                    yield return (path, keyword, v!);
            }
            else
            {
                yield return (path, keyword, value);
            }
        }
        var prefix = path.Length == 0 ? "" : path + ".";
        foreach (var required in node["required"]?.AsArray() ?? [])
            yield return (prefix + required!.GetValue<string>(), "required", JsonValue.Create(true));
        foreach (var (name, child) in node["properties"]?.AsObject() ?? [])
        {
            // The root's metadata is the API server's; the table starts at spec and status.
            if (path.Length == 0 && name is not ("spec" or "status"))
                continue;
            foreach (var r in RulesIn(child!.AsObject(), prefix + name))
                yield return r;
        }
        if (node["items"] is JsonObject items)
        {
            foreach (var r in RulesIn(items, path + "[]"))
                yield return r;
        }
        if (node["additionalProperties"] is JsonObject values)
        {
            foreach (var r in RulesIn(values, path + "{}"))
                yield return r;
        }
    }
}
