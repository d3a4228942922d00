using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Reconcilers.Topology.Patches.GoTemplates;

/// <summary>Template data as Go holds unmarshalled JSON: sorted maps, lists, strings, float64 numbers, booleans,
/// nil; and Go's rules for truth, printing and field access over them.</summary>
internal static class TemplateValues
{
    public static object? FromJson(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => new SortedDictionary<string, object?>(o.ToDictionary(p => p.Key, p => FromJson(p.Value)), StringComparer.Ordinal),
        JsonArray a => a.Select(FromJson).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => Number(v),
            _ => null,
        },
        _ => null,
    };

    /// <summary>A JSON number as float64 whether parsed or built in code (int, long).</summary>
    private static double Number(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d
        : v.TryGetValue<long>(out var l) ? l
        : v.TryGetValue<int>(out var i) ? i
        : v.TryGetValue<decimal>(out var m) ? (double)m
        : double.Parse(v.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);

    public static JsonNode? ToJson(object? value) => value switch
    {
        null or NoValue => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        double d when Math.Floor(d) == d && Math.Abs(d) < 9e15 => JsonValue.Create((long)d),
        double d => JsonValue.Create(d),
        IDictionary<string, object?> m => new JsonObject(m.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, ToJson(p.Value)))),
        IEnumerable<object?> list => new JsonArray(list.Select(ToJson).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };

    public static object? Unwrap(object? value) => value is NoValue ? null : value;

    /// <summary>Go's truth: false, zero numbers, nil and empty strings, lists and maps are false.</summary>
    public static bool IsTrue(object? value) => value switch
    {
        null or NoValue => false,
        bool b => b,
        string s => s.Length > 0,
        long l => l != 0,
        int i => i != 0,
        double d => d != 0,
        IDictionary<string, object?> m => m.Count > 0,
        IList<object?> list => list.Count > 0,
        _ => true,
    };

    /// <summary>What range visits: list items with their index, map values by sorted key (Go's order).</summary>
    public static IEnumerable<(object? Key, object? Item)> Iterate(object? value) => value switch
    {
        null or NoValue => [],
        IList<object?> list => list.Select((item, i) => ((object?)(long)i, item)),
        IDictionary<string, object?> m => m.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => ((object?)p.Key, p.Value)),
        long n => Enumerable.Range(0, (int)n).Select(i => ((object?)(long)i, (object?)(long)i)),
        _ => throw new TemplateException($"range can't iterate over {Print(value)}"),
    };

    /// <summary>Follows a field chain: a missing map key is "no value"; a field of nil or of a non-map fails as in Go.</summary>
    public static object? Field(object? value, string[] names, string shown)
    {
        foreach (var name in names)
        {
            value = value switch
            {
                IDictionary<string, object?> m => m.TryGetValue(name, out var v) ? v : NoValue.Instance,
                null or NoValue => throw new TemplateException($"executing at <{shown}>: nil pointer evaluating interface {{}}.{name}"),
                _ => throw new TemplateException($"executing at <{shown}>: can't evaluate field {name} in type {GoType(value)}"),
            };
        }
        return value;
    }

    public static string GoType(object? value) => value switch
    {
        string => "string",
        bool => "bool",
        long or int => "int",
        double => "float64",
        IDictionary<string, object?> => "map[string]interface {}",
        IList<object?> => "[]interface {}",
        _ => "interface {}",
    };

    /// <summary>As Go's fmt prints a value with %v.</summary>
    public static string Print(object? value) => value switch
    {
        null => "<nil>",
        NoValue => "<no value>",
        string s => s,
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        int i => i.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        IDictionary<string, object?> m => "map[" + string.Join(' ', m.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}:{Print(p.Value)}")) + "]",
        IEnumerable<object?> list => "[" + string.Join(' ', list.Select(Print)) + "]",
        _ => value.ToString() ?? "",
    };

    /// <summary>Go's shortest %v form of a float64: plain from 1e-4 up to below 1e6, else d.ddde±XX.</summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d))
            return "NaN";
        if (double.IsInfinity(d))
            return d > 0 ? "+Inf" : "-Inf";
        if (d == 0)
            return "0";
        var exponent = (int)Math.Floor(Math.Log10(Math.Abs(d)));
        // strconv's shortest %g (what %v prints) switches to the exponent form below -4 or from 6 up.
        if (exponent < -4 || exponent >= 6)
        {
            var e = d.ToString("E16", CultureInfo.InvariantCulture);
            var shortest = d.ToString("R", CultureInfo.InvariantCulture);
            var mantissaDigits = shortest.Split('E')[0].Replace("-", "", StringComparison.Ordinal).Replace(".", "", StringComparison.Ordinal).TrimStart('0').TrimEnd('0');
            var exp = int.Parse(e[(e.IndexOf('E') + 1)..], CultureInfo.InvariantCulture);
            var mantissa = mantissaDigits.Length <= 1 ? mantissaDigits : mantissaDigits[0] + "." + mantissaDigits[1..];
            return $"{(d < 0 ? "-" : "")}{mantissa}e{(exp < 0 ? "-" : "+")}{Math.Abs(exp):00}";
        }
        return d.ToString("0.####################", CultureInfo.InvariantCulture);
    }

    public static double? AsNumber(object? value) => value switch
    {
        long l => l,
        int i => i,
        double d => d,
        _ => null,
    };
}
