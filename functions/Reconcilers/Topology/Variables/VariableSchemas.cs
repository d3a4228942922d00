using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessCapi.Api;
using ServerlessCapi.EmbeddedApiServer.Validation;

namespace ServerlessCapi.Reconcilers.Topology.Variables;

/// <summary>Variable schemas as JSON, the shape the embedded API server's <see cref="SchemaValidator"/> and
/// <see cref="CelRules"/> read for CRDs, and the checks that make a definition usable (a structural schema).</summary>
internal static class VariableSchemas
{
    public static JsonObject ToJson(JsonSchemaProps schema) =>
        JsonSerializer.SerializeToNode(schema, Manifests.JsonOptions)?.AsObject() ?? [];

    /// <summary>Errors of one schema, with <paramref name="path"/> naming it (<c>spec.variables[0].schema.openAPIV3Schema</c>).</summary>
    public static void Check(JsonObject s, string path, List<TopologyFieldError> errors)
    {
        var type = Str(s, "type");
        var preserve = Bool(s, "x-kubernetes-preserve-unknown-fields");
        var intOrString = Bool(s, "x-kubernetes-int-or-string");
        if (type is null && !preserve && !intOrString)
            errors.Add(new($"{path}.type", "Required value: must not be empty for specified object fields"));
        if (type is not null and not ("object" or "array" or "string" or "integer" or "number" or "boolean"))
            errors.Add(new($"{path}.type", $"Unsupported value: \"{type}\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\""));
        var properties = s["properties"] as JsonObject;
        var additional = s["additionalProperties"] as JsonObject;
        if (properties is not null && additional is not null)
            errors.Add(new(path, "Forbidden: additionalProperties and properties are mutually exclusive"));
        if (type == "array" && s["items"] is not JsonObject)
            errors.Add(new($"{path}.items", "Required value: must be specified for type array"));
        if (Str(s, "pattern") is { } pattern && !Compiles(pattern))
            errors.Add(new($"{path}.pattern", $"Invalid value: \"{pattern}\": must be a valid regular expression"));
        if (s["x-kubernetes-validations"] is JsonArray rules)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                if (rules[i] is not JsonObject rule || Str(rule, "rule") is not { Length: > 0 })
                    errors.Add(new($"{path}.x-kubernetes-validations[{i}].rule", "Required value: rule is not specified"));
                else if (Str(rule, "message") is { } message && message.Contains('\n', StringComparison.Ordinal))
                    errors.Add(new($"{path}.x-kubernetes-validations[{i}].message", "Invalid value: message must not contain line breaks"));
            }
        }
        if (s.TryGetPropertyValue("default", out var dflt))
        {
            foreach (var e in SchemaValidator.ValidateValue(s, dflt, "default"))
                errors.Add(new($"{path}.default", e.Message));
        }
        foreach (var (name, child) in properties ?? [])
        {
            if (child is JsonObject c)
                Check(c, $"{path}.properties[{name}]", errors);
        }
        if (additional is not null)
            Check(additional, $"{path}.additionalProperties", errors);
        if (s["items"] is JsonObject items)
            Check(items, $"{path}.items", errors);
    }

    /// <summary>Fields of the value no schema declares (CAPI rejects what kube-apiserver would prune), and
    /// repeated items of uniqueItems lists, which the CRD validator does not check.</summary>
    public static void CheckShape(JsonObject s, JsonNode? value, string path, List<string> unknown, List<TopologyFieldError> errors, string fieldPrefix)
    {
        switch (value)
        {
            case JsonObject obj when !Bool(s, "x-kubernetes-preserve-unknown-fields"):
                var properties = s["properties"] as JsonObject;
                var additional = s["additionalProperties"] as JsonObject;
                foreach (var (key, child) in obj)
                {
                    var childPath = path.Length == 0 ? key : $"{path}.{key}";
                    var childSchema = properties?[key] as JsonObject ?? additional;
                    if (childSchema is null)
                        unknown.Add(childPath);
                    else
                        CheckShape(childSchema, child, childPath, unknown, errors, fieldPrefix);
                }
                break;
            case JsonArray array when s["items"] is JsonObject items:
                if (Bool(s, "uniqueItems"))
                {
                    for (var i = 0; i < array.Count; i++)
                    {
                        if (array.Take(i).Any(prior => JsonNode.DeepEquals(prior, array[i])))
                            errors.Add(new($"{fieldPrefix}{(path.Length == 0 ? "" : "." + path)}[{i}]", $"Duplicate value: {FieldError.Show(array[i])}"));
                    }
                }
                for (var i = 0; i < array.Count; i++)
                    CheckShape(items, array[i], $"{path}[{i}]", unknown, errors, fieldPrefix);
                break;
        }
    }

    public static string? Str(JsonObject s, string key) => s[key] is JsonValue v && v.TryGetValue<string>(out var x) ? x : null;

    public static bool Bool(JsonObject s, string key) => s[key] is JsonValue v && v.TryGetValue<bool>(out var b) && b;

    private static bool Compiles(string pattern)
    {
        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
