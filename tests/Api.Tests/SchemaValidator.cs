using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Api.Tests;

/// <summary>Validates an object against a CRD schema as the API server does on create: pruning, types, required
/// fields, enums, formats, lengths, bounds, patterns, list and object sizes, set and map-list uniqueness, and the
/// CEL rules (transition rules, which need an old object, are left out).</summary>
internal static class SchemaValidator
{
    /// <summary>Where <paramref name="instance"/> breaks <paramref name="schema"/>, one line per error.</summary>
    public static List<string> Validate(JsonNode? instance, JsonObject schema, string path = "$")
    {
        var errors = new List<string>();
        Validate(instance, schema, path, errors);
        return errors;
    }

    private static void Validate(JsonNode? instance, JsonObject schema, string path, List<string> errors)
    {
        if (instance is null)
            return;
        if (schema["x-kubernetes-int-or-string"]?.GetValue<bool>() == true)
        {
            if (instance is not JsonValue v || v.GetValueKind() is not (JsonValueKind.Number or JsonValueKind.String))
                errors.Add($"{path}: not an int-or-string");
            else if (v.GetValueKind() == JsonValueKind.String)
                CheckString(v.GetValue<string>(), schema, path, errors);
            return;
        }
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        switch (schema["type"]?.GetValue<string>())
        {
            case null when preserve:
                break;
            case "object":
                if (instance is not JsonObject obj)
                {
                    errors.Add($"{path}: not an object");
                    return;
                }
                ValidateObject(obj, schema, preserve, path, errors);
                break;
            case "array":
                if (instance is not JsonArray arr)
                {
                    errors.Add($"{path}: not an array");
                    return;
                }
                ValidateArray(arr, schema, path, errors);
                break;
            case var scalar:
                if (!ValidateScalar(instance, scalar, schema, path, errors))
                    return;
                break;
        }
        CheckRules(instance, schema, path, errors);
    }

    private static void ValidateObject(JsonObject obj, JsonObject schema, bool preserve, string path, List<string> errors)
    {
        var properties = schema["properties"]?.AsObject();
        foreach (var r in schema["required"]?.AsArray() ?? [])
        {
            if (!obj.ContainsKey(r!.GetValue<string>()))
                errors.Add($"{path}: missing required {r}");
        }
        // The API server validates object metadata itself; the root schema may not describe it.
        var count = path == "$" ? 0 : obj.Count;
        if (Number(schema["minProperties"]) is { } minProps && count < minProps)
            errors.Add($"{path}: has {count} fields, fewer than {minProps}");
        if (Number(schema["maxProperties"]) is { } maxProps && count > maxProps)
            errors.Add($"{path}: has {count} fields, more than {maxProps}");
        foreach (var (name, value) in obj)
        {
            if (path == "$" && name == "metadata")
                continue;
            if (properties?[name] is JsonObject p)
                Validate(value, p, $"{path}.{name}", errors);
            else if (schema["additionalProperties"] is JsonObject a)
                Validate(value, a, $"{path}.{name}", errors);
            else if (!preserve)
                errors.Add($"{path}.{name}: would be pruned");
        }
    }

    private static void ValidateArray(JsonArray arr, JsonObject schema, string path, List<string> errors)
    {
        if (Number(schema["minItems"]) is { } minItems && arr.Count < minItems)
            errors.Add($"{path}: has {arr.Count} items, fewer than {minItems}");
        if (Number(schema["maxItems"]) is { } maxItems && arr.Count > maxItems)
            errors.Add($"{path}: has {arr.Count} items, more than {maxItems}");
        var items = schema["items"]!.AsObject();
        for (var i = 0; i < arr.Count; i++)
            Validate(arr[i], items, $"{path}[{i}]", errors);
        var identities = schema["x-kubernetes-list-type"]?.GetValue<string>() switch
        {
            "set" => arr.Select(a => a?.ToJsonString() ?? "null").ToList(),
            "map" => arr.Select(a => string.Join("|", schema["x-kubernetes-list-map-keys"]!.AsArray()
                .Select(k => a?[k!.GetValue<string>()]?.ToJsonString() ?? "null"))).ToList(),
            _ => null,
        };
        foreach (var duplicate in identities?.GroupBy(x => x, StringComparer.Ordinal).Where(g => g.Count() > 1) ?? [])
            errors.Add($"{path}: duplicate entry {duplicate.Key}");
    }

    private static bool ValidateScalar(JsonNode instance, string? scalar, JsonObject schema, string path, List<string> errors)
    {
        var kind = (instance as JsonValue)?.GetValueKind();
        var ok = scalar switch
        {
            "string" => kind == JsonValueKind.String,
            "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
            "integer" => kind == JsonValueKind.Number && long.TryParse(instance.ToJsonString(), CultureInfo.InvariantCulture, out _),
            "number" => kind == JsonValueKind.Number,
            _ => false,
        };
        if (!ok)
        {
            errors.Add($"{path}: expected {scalar}, got {instance.ToJsonString()}");
            return false;
        }
        if (scalar == "string")
        {
            var text = instance.GetValue<string>();
            if (schema["enum"] is JsonArray values && !values.Any(e => e!.GetValue<string>() == text))
                errors.Add($"{path}: {text} is not one of {values.ToJsonString()}");
            if (schema["format"]?.GetValue<string>() == "date-time" && !DateTime.TryParse(text, CultureInfo.InvariantCulture, out _))
                errors.Add($"{path}: not a date-time");
            CheckString(text, schema, path, errors);
        }
        else if (scalar is "integer" or "number")
        {
            var number = Number(instance)!.Value;
            if (Number(schema["minimum"]) is { } min && number < min)
                errors.Add($"{path}: {number} is less than {min}");
            if (Number(schema["maximum"]) is { } max && number > max)
                errors.Add($"{path}: {number} is greater than {max}");
        }
        return true;
    }

    private static void CheckString(string text, JsonObject schema, string path, List<string> errors)
    {
        // Lengths count characters (Unicode code points), as the API server does.
        var length = text.EnumerateRunes().Count();
        if (Number(schema["minLength"]) is { } min && length < min)
            errors.Add($"{path}: {length} characters, fewer than {min}");
        if (Number(schema["maxLength"]) is { } max && length > max)
            errors.Add($"{path}: {length} characters, more than {max}");
        if (schema["pattern"]?.GetValue<string>() is { } pattern && !Regex.IsMatch(text, pattern, RegexOptions.None, TimeSpan.FromSeconds(1)))
            errors.Add($"{path}: {text} does not match {pattern}");
    }

    // Schema and instance numbers may be backed by any CLR number type; their JSON text is what counts.
    private static double? Number(JsonNode? node) =>
        node is null ? null : double.Parse(node.ToJsonString(), CultureInfo.InvariantCulture);

    private static void CheckRules(JsonNode instance, JsonObject schema, string path, List<string> errors)
    {
        foreach (var rule in schema["x-kubernetes-validations"]?.AsArray().Select(r => r!.AsObject()) ?? [])
        {
            var text = rule["rule"]!.GetValue<string>();
            if (text.Contains("oldSelf", StringComparison.Ordinal))
                continue;
            if (!CelRules.Holds(text, instance))
                errors.Add($"{path}: {rule["message"]?.GetValue<string>() ?? text}");
        }
    }
}
