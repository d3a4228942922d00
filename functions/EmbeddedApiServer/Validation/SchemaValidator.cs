using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessCapi.EmbeddedApiServer.Validation;

/// <summary>Checks a custom resource against its CRD's structural schema (types, bounds, patterns, formats, enums,
/// list uniqueness) and then its x-kubernetes-validations rules, as kube-apiserver does. Pure: no I/O.</summary>
public static class SchemaValidator
{
    /// <summary>The field kube-apiserver names (Go's nil path) on the error that says rules were not checked.</summary>
    public const string SkippedRulesField = "<nil>";

    private static readonly ConcurrentDictionary<string, Regex> Patterns = new(StringComparer.Ordinal);
    private static readonly ConditionalWeakTable<JsonObject, StrongBox<bool>> RuleSchemas = new();

    /// <param name="old">The stored object on update (for CEL transition rules), null on create.</param>
    /// <param name="blocked">Whether errors found before the schema (in metadata) already block the rules.</param>
    public static List<FieldError> Validate(JsonObject schema, JsonNode? value, JsonNode? old, bool blocked = false)
    {
        var errors = new List<FieldError>();
        var rules = new List<FieldError>();
        Walk(schema, value, old, old is not null, "", errors, rules, isRoot: true);
        if (!HasRules(schema)) return errors;
        // As kube-apiserver: a missing, unsupported, too long, too many or wrongly typed value blocks the rules, and the
        // answer says that some were not checked instead of reporting what they found.
        if (blocked || errors.Any(BlocksRules))
            errors.Add(FieldError.Invalid(SkippedRulesField, null, "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
        else errors.AddRange(rules);
        return errors;
    }

    /// <summary>The kinds of error after which kube-apiserver does not run x-kubernetes-validations rules.</summary>
    public static bool BlocksRules(FieldError e) => e.Type is FieldErrorType.Required or FieldErrorType.NotSupported
        or FieldErrorType.TooLong or FieldErrorType.TooMany or FieldErrorType.TypeInvalid;

    /// <summary>Whether any x-kubernetes-validations rule sits anywhere in the schema (kube-apiserver runs no rule
    /// validator, and so reports no skipped rules, for a schema without one).</summary>
    public static bool HasRules(JsonObject schema) => RuleSchemas.GetValue(schema, s => new StrongBox<bool>(Search(s))).Value;

    private static bool Search(JsonNode node) => node switch
    {
        JsonObject o => o.Any(p => p.Key == "x-kubernetes-validations" && p.Value is JsonArray { Count: > 0 } || p.Value is { } child && Search(child)),
        JsonArray a => a.Any(i => i is not null && Search(i)),
        _ => false,
    };

    /// <summary>Checks one value against one schema without rules (for CRD defaults).</summary>
    public static List<FieldError> ValidateValue(JsonObject schema, JsonNode? value, string path)
    {
        var errors = new List<FieldError>();
        Walk(schema, value, null, false, path, errors, null, isRoot: false);
        return errors;
    }

    private static void Walk(JsonObject s, JsonNode? v, JsonNode? old, bool hasOld, string path,
        List<FieldError> errors, List<FieldError>? rules, bool isRoot)
    {
        if (v is null)
        {
            if (Bool(s, "nullable")) return;
            if (Str(s, "type") is { } t) errors.Add(TypeError(path, v, t));
            return;
        }
        if (!CheckType(s, v, path, errors)) return;

        switch (v)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                CheckString(s, value.GetValue<string>(), path, errors);
                break;
            case JsonValue value when value.GetValueKind() == JsonValueKind.Number:
                CheckNumber(s, value, path, errors);
                break;
            case JsonArray array:
                CheckArray(s, array, old as JsonArray, hasOld, path, errors, rules);
                break;
            case JsonObject obj:
                CheckObject(s, obj, old as JsonObject, hasOld, path, errors, rules, isRoot);
                break;
        }
        if (s["enum"] is JsonArray choices && !choices.Any(c => JsonNode.DeepEquals(c, v)))
        {
            var supported = string.Join(", ", choices.Select(FieldError.Show));
            errors.Add(new FieldError(FieldErrorType.NotSupported, path, $"supported values: {supported}", v));
        }
        if (rules is not null && s["x-kubernetes-validations"] is JsonArray validations)
            CelRules.Evaluate(s, validations, v, old, hasOld, path, rules);
    }

    private static bool CheckType(JsonObject s, JsonNode v, string path, List<FieldError> errors)
    {
        var kind = v.GetValueKind();
        if (Bool(s, "x-kubernetes-int-or-string"))
        {
            if (kind == JsonValueKind.String || IsInteger(v)) return true;
            errors.Add(TypeError(path, v, "integer,string"));
            return false;
        }
        var ok = Str(s, "type") switch
        {
            null or "" => true,
            "object" => kind == JsonValueKind.Object,
            "array" => kind == JsonValueKind.Array,
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "number" => kind == JsonValueKind.Number,
            "integer" => IsInteger(v),
            _ => true,
        };
        if (!ok) errors.Add(TypeError(path, v, Str(s, "type")!));
        return ok;
    }

    private static FieldError TypeError(string path, JsonNode? v, string type)
    {
        var shown = v switch
        {
            null => "null",
            JsonObject => "object",
            JsonArray => "array",
            _ => v.GetValueKind() == JsonValueKind.String ? "string" : v.GetValueKind() == JsonValueKind.Number ? "number" : "boolean",
        };
        return new FieldError(FieldErrorType.TypeInvalid, path, $"{Label(path)} in body must be of type {type}: \"{shown}\"", shown);
    }

    private static void CheckString(JsonObject s, string text, string path, List<FieldError> errors)
    {
        var length = text.EnumerateRunes().Count();
        if (Long(s, "maxLength") is { } max && length > max)
            errors.Add(FieldError.TooLong(path, $"may not be more than {max} bytes"));
        if (Long(s, "minLength") is { } min && length < min)
            errors.Add(FieldError.Invalid(path, text, $"{Label(path)} in body should be at least {min} chars long"));
        if (Str(s, "pattern") is { } pattern && !Pattern(pattern).IsMatch(text))
            errors.Add(FieldError.Invalid(path, text, $"{Label(path)} in body should match '{pattern}'"));
        if (Str(s, "format") is { } format && !Formats.IsValid(format, text))
            errors.Add(FieldError.Invalid(path, text, $"{Label(path)} in body must be of type {format}: \"{text}\""));
    }

    private static void CheckNumber(JsonObject s, JsonValue value, string path, List<FieldError> errors)
    {
        var n = Number(value) ?? 0;
        var exclusiveMin = Bool(s, "exclusiveMinimum");
        var exclusiveMax = Bool(s, "exclusiveMaximum");
        if (Num(s, "minimum") is { } min && (exclusiveMin ? n <= min : n < min))
            errors.Add(FieldError.Invalid(path, value, $"{Label(path)} in body should be greater than {(exclusiveMin ? "" : "or equal to ")}{Show(min)}"));
        if (Num(s, "maximum") is { } max && (exclusiveMax ? n >= max : n > max))
            errors.Add(FieldError.Invalid(path, value, $"{Label(path)} in body should be less than {(exclusiveMax ? "" : "or equal to ")}{Show(max)}"));
        if (Num(s, "multipleOf") is { } step && step > 0 && Math.Abs(Math.IEEERemainder(n, step)) > 1e-9)
            errors.Add(FieldError.Invalid(path, value, $"{Label(path)} in body should be a multiple of {Show(step)}"));
        if (Str(s, "format") == "int32" && (n < int.MinValue || n > int.MaxValue))
            errors.Add(FieldError.Invalid(path, value, $"{Label(path)} in body must be of type int32: \"{value.ToJsonString()}\""));
    }

    private static void CheckArray(JsonObject s, JsonArray array, JsonArray? old, bool hasOld, string path,
        List<FieldError> errors, List<FieldError>? rules)
    {
        if (Long(s, "maxItems") is { } max && array.Count > max)
            errors.Add(new FieldError(FieldErrorType.TooMany, path, $"{array.Count}: must have at most {max} items"));
        if (Long(s, "minItems") is { } min && array.Count < min)
            errors.Add(FieldError.Invalid(path, array.Count, $"{Label(path)} in body should have at least {min} items"));
        var listType = Str(s, "x-kubernetes-list-type");
        var keys = (s["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => k?.GetValue<string>() ?? "").ToList() ?? [];
        if (listType == "set") Unique(array, path, item => item, errors);
        if (listType == "map" && keys.Count > 0) Unique(array, path, item => KeyOf(item, keys), errors);
        if (s["items"] is not JsonObject items) return;
        for (var i = 0; i < array.Count; i++)
        {
            // Transition rules inside a list see the old item only where the list is keyed (list-type map).
            JsonNode? oldItem = null;
            var itemHasOld = false;
            if (hasOld && old is not null && listType == "map" && keys.Count > 0 && array[i] is JsonObject)
            {
                var key = KeyOf(array[i], keys);
                oldItem = old.FirstOrDefault(o => JsonNode.DeepEquals(KeyOf(o, keys), key));
                itemHasOld = oldItem is not null;
            }
            Walk(items, array[i], oldItem, itemHasOld, $"{path}[{i}]", errors, rules, isRoot: false);
        }
    }

    private static void CheckObject(JsonObject s, JsonObject obj, JsonObject? old, bool hasOld, string path,
        List<FieldError> errors, List<FieldError>? rules, bool isRoot)
    {
        if (s["required"] is JsonArray required)
        {
            foreach (var name in required.Select(r => r?.GetValue<string>()).OfType<string>())
            {
                if (!obj.ContainsKey(name)) errors.Add(FieldError.Required(Join(path, name)));
            }
        }
        var count = isRoot ? obj.Count(p => p.Key is not ("apiVersion" or "kind" or "metadata")) : obj.Count;
        if (Long(s, "maxProperties") is { } max && count > max)
            errors.Add(new FieldError(FieldErrorType.TooMany, path, $"{count}: must have at most {max} items"));
        if (Long(s, "minProperties") is { } min && count < min)
            errors.Add(FieldError.Invalid(path, count, $"{Label(path)} in body should have at least {min} properties"));
        var properties = s["properties"] as JsonObject;
        var additional = s["additionalProperties"] as JsonObject;
        foreach (var (key, child) in obj)
        {
            if (isRoot && key == "metadata") continue;
            var childSchema = properties?[key] as JsonObject ?? additional;
            if (childSchema is null) continue;
            var oldChild = old?[key];
            Walk(childSchema, child, oldChild, hasOld && old is not null && old.ContainsKey(key), Join(path, key), errors, rules, isRoot: false);
        }
    }

    private static void Unique(JsonArray array, string path, Func<JsonNode?, JsonNode?> keyOf, List<FieldError> errors)
    {
        var seen = new List<JsonNode?>();
        for (var i = 0; i < array.Count; i++)
        {
            var key = keyOf(array[i]);
            if (seen.Any(k => JsonNode.DeepEquals(k, key))) errors.Add(new FieldError(FieldErrorType.Duplicate, $"{path}[{i}]", Value: key?.DeepClone()));
            else seen.Add(key);
        }
    }

    private static JsonObject KeyOf(JsonNode? item, List<string> keys)
    {
        var key = new JsonObject();
        foreach (var k in keys) key[k] = item?[k]?.DeepClone();
        return key;
    }

    private static Regex Pattern(string pattern) =>
        Patterns.GetOrAdd(pattern, p => new Regex(p, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1)));

    private static bool IsInteger(JsonNode v) =>
        v.GetValueKind() == JsonValueKind.Number && Number(v.AsValue()) is { } d && Math.Floor(d) == d && !double.IsInfinity(d);

    /// <summary>kube-openapi names the field in the detail as well, "spec.replicas in body".</summary>
    private static string Label(string path) => path.Length == 0 ? "body" : path;

    internal static string Join(string path, string key) => path.Length == 0 ? key : $"{path}.{key}";

    private static string Show(double d) => d.ToString(CultureInfo.InvariantCulture);

    internal static string? Str(JsonObject s, string key) => s[key] is JsonValue v && v.TryGetValue<string>(out var x) ? x : null;

    internal static bool Bool(JsonObject s, string key) => s[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static long? Long(JsonObject s, string key) => s[key] is JsonValue v && Number(v) is { } d ? (long)d : null;

    private static double? Num(JsonObject s, string key) => s[key] is JsonValue v ? Number(v) : null;

    /// <summary>A JSON number whether parsed (JsonElement) or built in code (long, int, double).</summary>
    internal static double? Number(JsonValue v) =>
        v.TryGetValue<double>(out var d) ? d
        : v.TryGetValue<long>(out var l) ? l
        : v.TryGetValue<int>(out var i) ? i
        : v.TryGetValue<decimal>(out var m) ? (double)m
        : null;
}
