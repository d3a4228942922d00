using System.Globalization;
using System.Text;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology.Patches.GoTemplates;

/// <summary>Go's builtin template functions and the hermetic sprig functions that patch templates use.</summary>
internal static class TemplateFunctions
{
    private delegate object? Function(List<object?> args);

    private static readonly Dictionary<string, Function> Functions = new(StringComparer.Ordinal)
    {
        // Go builtins.
        ["and"] = a => AtLeast(a, 1, "and").Aggregate((x, y) => TemplateValues.IsTrue(x) ? y : x),
        ["or"] = a => AtLeast(a, 1, "or").Aggregate((x, y) => TemplateValues.IsTrue(x) ? x : y),
        ["not"] = a => !TemplateValues.IsTrue(Exactly(a, 1, "not")[0]),
        ["eq"] = a => AtLeast(a, 2, "eq").Skip(1).Any(y => Compare(a[0], y) == 0),
        ["ne"] = a => Compare(Exactly(a, 2, "ne")[0], a[1]) != 0,
        ["lt"] = a => Compare(Exactly(a, 2, "lt")[0], a[1], ordered: true) < 0,
        ["le"] = a => Compare(Exactly(a, 2, "le")[0], a[1], ordered: true) <= 0,
        ["gt"] = a => Compare(Exactly(a, 2, "gt")[0], a[1], ordered: true) > 0,
        ["ge"] = a => Compare(Exactly(a, 2, "ge")[0], a[1], ordered: true) >= 0,
        ["len"] = a => (long)(Exactly(a, 1, "len")[0] switch
        {
            string s => Encoding.UTF8.GetByteCount(s),
            IDictionary<string, object?> m => m.Count,
            IList<object?> l => l.Count,
            var other => throw new TemplateException($"error calling len: len of type {TemplateValues.GoType(other)}"),
        }),
        ["index"] = a => Index(AtLeast(a, 1, "index")),
        ["print"] = a => string.Concat(a.Select(TemplateValues.Print)),
        ["println"] = a => string.Join(' ', a.Select(TemplateValues.Print)) + "\n",
        ["printf"] = a => GoFormat.Sprintf(Str(AtLeast(a, 1, "printf")[0]), a.Skip(1).ToList()),
        // Sprig.
        ["quote"] = a => string.Join(' ', a.Where(x => x is not null).Select(x => GoFormat.Quote(TemplateValues.Print(x)))),
        ["squote"] = a => string.Join(' ', a.Where(x => x is not null).Select(x => $"'{TemplateValues.Print(x)}'")),
        ["toYaml"] = a => YamlJson.ToYaml(TemplateValues.ToJson(Exactly(a, 1, "toYaml")[0])).TrimEnd('\n'),
        ["toJson"] = a => TemplateValues.ToJson(Exactly(a, 1, "toJson")[0])?.ToJsonString() ?? "null",
        ["default"] = a => AtLeast(a, 1, "default").Count > 1 && TemplateValues.IsTrue(a[^1]) ? a[^1] : a[0],
        ["empty"] = a => !TemplateValues.IsTrue(Exactly(a, 1, "empty")[0]),
        ["ternary"] = a => TemplateValues.IsTrue(Exactly(a, 3, "ternary")[2]) ? a[0] : a[1],
        ["upper"] = a => Str(Exactly(a, 1, "upper")[0]).ToUpperInvariant(),
        ["lower"] = a => Str(Exactly(a, 1, "lower")[0]).ToLowerInvariant(),
        ["trim"] = a => Str(Exactly(a, 1, "trim")[0]).Trim(),
        ["trimPrefix"] = a => Str(Exactly(a, 2, "trimPrefix")[1]) is var s && s.StartsWith(Str(a[0]), StringComparison.Ordinal) ? s[Str(a[0]).Length..] : Str(a[1]),
        ["trimSuffix"] = a => Str(Exactly(a, 2, "trimSuffix")[1]) is var s && s.EndsWith(Str(a[0]), StringComparison.Ordinal) ? s[..^Str(a[0]).Length] : Str(a[1]),
        ["replace"] = a => Str(Exactly(a, 3, "replace")[2]).Replace(Str(a[0]), Str(a[1]), StringComparison.Ordinal),
        ["contains"] = a => Str(Exactly(a, 2, "contains")[1]).Contains(Str(a[0]), StringComparison.Ordinal),
        ["hasPrefix"] = a => Str(Exactly(a, 2, "hasPrefix")[1]).StartsWith(Str(a[0]), StringComparison.Ordinal),
        ["hasSuffix"] = a => Str(Exactly(a, 2, "hasSuffix")[1]).EndsWith(Str(a[0]), StringComparison.Ordinal),
        ["join"] = a => string.Join(Str(Exactly(a, 2, "join")[0]), AsList(a[1]).Select(TemplateValues.Print)),
        ["splitList"] = a => Str(Exactly(a, 2, "splitList")[1]).Split(Str(a[0])).Cast<object?>().ToList(),
        ["list"] = a => a.ToList(),
        ["dict"] = Dict,
        ["hasKey"] = a => Exactly(a, 2, "hasKey")[0] is IDictionary<string, object?> m && m.ContainsKey(Str(a[1])),
        ["toString"] = a => TemplateValues.Print(Exactly(a, 1, "toString")[0]),
        ["int"] = a => ToLong(Exactly(a, 1, "int")[0]),
        ["int64"] = a => ToLong(Exactly(a, 1, "int64")[0]),
        ["float64"] = a => TemplateValues.AsNumber(Exactly(a, 1, "float64")[0]) ?? double.Parse(Str(a[0]), CultureInfo.InvariantCulture),
        ["add"] = a => a.Select(ToLong).Sum(),
        ["sub"] = a => ToLong(Exactly(a, 2, "sub")[0]) - ToLong(a[1]),
        ["mul"] = a => a.Select(ToLong).Aggregate(1L, (x, y) => x * y),
        ["div"] = a => ToLong(Exactly(a, 2, "div")[0]) / ToLong(a[1]),
        ["max"] = a => AtLeast(a, 1, "max").Select(ToLong).Max(),
        ["min"] = a => AtLeast(a, 1, "min").Select(ToLong).Min(),
        ["b64enc"] = a => Convert.ToBase64String(Encoding.UTF8.GetBytes(Str(Exactly(a, 1, "b64enc")[0]))),
        ["b64dec"] = a => Encoding.UTF8.GetString(Convert.FromBase64String(Str(Exactly(a, 1, "b64dec")[0]))),
        ["indent"] = a => Indent(ToLong(Exactly(a, 2, "indent")[0]), Str(a[1])),
        ["nindent"] = a => "\n" + Indent(ToLong(Exactly(a, 2, "nindent")[0]), Str(a[1])),
    };

    public static object? Call(string name, List<object?> args) =>
        Functions.TryGetValue(name, out var f) ? f(args) : throw new TemplateException($"function \"{name}\" not defined");

    private static List<object?> Exactly(List<object?> a, int n, string name) =>
        a.Count == n ? a : throw new TemplateException($"wrong number of args for {name}: want {n} got {a.Count}");

    private static List<object?> AtLeast(List<object?> a, int n, string name) =>
        a.Count >= n ? a : throw new TemplateException($"wrong number of args for {name}: want at least {n} got {a.Count}");

    private static string Str(object? v) => v is string s ? s : TemplateValues.Print(v);

    private static long ToLong(object? v) => v switch
    {
        long l => l,
        int i => i,
        double d => (long)d,
        string s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) => l,
        bool b => b ? 1 : 0,
        _ => 0,
    };

    private static IEnumerable<object?> AsList(object? v) => v switch
    {
        IList<object?> l => l,
        null => [],
        _ => [v],
    };

    private static SortedDictionary<string, object?> Dict(List<object?> a)
    {
        var m = new SortedDictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < a.Count; i += 2)
            m[Str(a[i])] = a[i + 1];
        if (a.Count % 2 == 1)
            m[Str(a[^1])] = "";
        return m;
    }

    private static string Indent(long spaces, string text)
    {
        var pad = new string(' ', (int)spaces);
        return pad + text.Replace("\n", "\n" + pad, StringComparison.Ordinal);
    }

    private static object? Index(List<object?> a)
    {
        var item = a[0];
        foreach (var key in a.Skip(1))
        {
            item = item switch
            {
                IDictionary<string, object?> m => m.TryGetValue(Str(key), out var v) ? v : null,
                IList<object?> l when TemplateValues.AsNumber(key) is { } n => n >= 0 && n < l.Count ? l[(int)n]
                    : throw new TemplateException($"error calling index: index out of range: {TemplateValues.Print(key)}"),
                null => throw new TemplateException("error calling index: index of untyped nil"),
                _ => throw new TemplateException($"error calling index: cannot index slice/array with type {TemplateValues.GoType(key)}"),
            };
        }
        return item;
    }

    /// <summary>Go's comparison of basic values; numbers compare by value whatever their kind.</summary>
    private static int Compare(object? x, object? y, bool ordered = false)
    {
        if (TemplateValues.AsNumber(x) is { } a && TemplateValues.AsNumber(y) is { } b)
            return a.CompareTo(b);
        return (x, y) switch
        {
            (string s, string t) => string.CompareOrdinal(s, t),
            (bool p, bool q) when !ordered => p == q ? 0 : 1,
            (null, null) when !ordered => 0,
            (null, _) or (_, null) when !ordered => 1,
            _ when !ordered && x is not (IDictionary<string, object?> or IList<object?>) && y is not (IDictionary<string, object?> or IList<object?>) =>
                throw new TemplateException($"error calling eq: incompatible types for comparison"),
            _ => throw new TemplateException($"error calling comparison: invalid type for comparison"),
        };
    }
}
