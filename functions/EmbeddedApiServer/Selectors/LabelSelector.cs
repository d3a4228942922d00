using ServerlessCapi.EmbeddedApiServer.Errors;

namespace ServerlessCapi.EmbeddedApiServer.Selectors;

/// <summary>A parsed label selector (=, ==, !=, in, notin, exists, !exists), as in Kubernetes' string form.</summary>
public sealed class LabelSelector
{
    private enum Op { Equals, NotEquals, In, NotIn, Exists, NotExists }

    private sealed record Requirement(string Key, Op Op, IReadOnlyList<string> Values);

    private readonly List<Requirement> _requirements;

    private LabelSelector(List<Requirement> requirements) => _requirements = requirements;

    public static LabelSelector Everything { get; } = new([]);

    public bool IsEmpty => _requirements.Count == 0;

    /// <summary>The label pairs every matching object carries (from =, == and a one-value in), which an index can
    /// look up instead of scanning.</summary>
    public IEnumerable<(string Key, string Value)> RequiredPairs =>
        _requirements.Where(r => r.Op == Op.Equals || (r.Op == Op.In && r.Values.Count == 1)).Select(r => (r.Key, r.Values[0]));

    public static LabelSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return Everything;
        var requirements = new List<Requirement>();
        foreach (var part in SplitTopLevel(text))
            requirements.Add(ParseOne(part.Trim(), text));
        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var r in _requirements)
        {
            var has = labels.TryGetValue(r.Key, out var value);
            var ok = r.Op switch
            {
                Op.Equals => has && value == r.Values[0],
                Op.NotEquals => !has || value != r.Values[0],
                Op.In => has && r.Values.Contains(value!),
                Op.NotIn => !has || !r.Values.Contains(value!),
                Op.Exists => has,
                _ => !has,
            };
            if (!ok) return false;
        }
        return true;
    }

    private static Requirement ParseOne(string part, string whole)
    {
        if (part.Length == 0) throw Bad(whole);
        if (part[0] == '!') return new Requirement(Key(part[1..].Trim(), whole), Op.NotExists, []);
        var notin = part.IndexOf(" notin ", StringComparison.Ordinal);
        if (notin > 0) return new Requirement(Key(part[..notin].Trim(), whole), Op.NotIn, Set(part[(notin + 7)..], whole));
        var inAt = part.IndexOf(" in ", StringComparison.Ordinal);
        if (inAt > 0) return new Requirement(Key(part[..inAt].Trim(), whole), Op.In, Set(part[(inAt + 4)..], whole));
        var ne = part.IndexOf("!=", StringComparison.Ordinal);
        if (ne > 0) return new Requirement(Key(part[..ne].Trim(), whole), Op.NotEquals, [part[(ne + 2)..].Trim()]);
        var eq = part.IndexOf('=', StringComparison.Ordinal);
        if (eq > 0)
        {
            var rest = part[(eq + 1)..];
            if (rest.StartsWith('=')) rest = rest[1..];
            return new Requirement(Key(part[..eq].Trim(), whole), Op.Equals, [rest.Trim()]);
        }
        return new Requirement(Key(part, whole), Op.Exists, []);
    }

    private static string Key(string key, string whole) =>
        key.Length == 0 || key.Any(c => char.IsWhiteSpace(c) || c is '(' or ')' or ',' or '!') ? throw Bad(whole) : key;

    private static List<string> Set(string text, string whole)
    {
        text = text.Trim();
        if (text.Length < 2 || text[0] != '(' || text[^1] != ')') throw Bad(whole);
        return text[1..^1].Split(',').Select(v => v.Trim()).Where(v => v.Length > 0).ToList();
    }

    /// <summary>Splits on commas outside parentheses ("a in (x,y),b" is two requirements).</summary>
    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(') depth++;
            else if (text[i] == ')') depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }
        yield return text[start..];
    }

    private static ApiException Bad(string text) =>
        ApiException.BadRequest($"unable to parse requirement: found '{text}', expected: label selector");
}
