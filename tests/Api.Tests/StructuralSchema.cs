using System.Text.Json;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Api.Tests;

/// <summary>Checks the rules a kube-apiserver applies to CRD schemas (structural schema) and validates
/// objects against a schema the way the API server prunes and type-checks them.</summary>
internal static class StructuralSchema
{
    private static readonly HashSet<string> AllowedKeywords =
    [
        "type", "format", "properties", "required", "items", "additionalProperties", "enum", "description",
        "anyOf", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "default", "nullable",
    ];

    /// <summary>Violations of the structural-schema rules, as readable paths.</summary>
    public static List<string> Violations(JsonObject root)
    {
        var errors = new List<string>();
        if (root["type"]?.GetValue<string>() != "object")
            errors.Add("$: root must be type object");
        var props = root["properties"]?.AsObject();
        foreach (var (name, _) in props ?? [])
        {
            if (name is not ("apiVersion" or "kind" or "metadata" or "spec" or "status"))
                errors.Add($"$.properties.{name}: only apiVersion, kind, metadata, spec and status are allowed at the root");
        }
        if (props?["metadata"] is JsonObject meta && (meta.Count != 1 || meta["type"]?.GetValue<string>() != "object"))
            errors.Add("$.properties.metadata: must be exactly {type: object}");
        Check(root, "$", errors);
        return errors;
    }

    private static void Check(JsonObject node, string path, List<string> errors)
    {
        foreach (var (key, _) in node)
        {
            if (!AllowedKeywords.Contains(key))
                errors.Add($"{path}: unexpected keyword {key}");
        }
        var type = node["type"]?.GetValue<string>();
        var intOrString = node["x-kubernetes-int-or-string"]?.GetValue<bool>() == true;
        var preserve = node["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        if (type is null && !intOrString && !preserve)
            errors.Add($"{path}: no type");
        if (intOrString)
        {
            if (type is not null)
                errors.Add($"{path}: int-or-string must not have a type");
            var anyOf = node["anyOf"]?.AsArray().Select(a => a!["type"]?.GetValue<string>()).ToList();
            if (anyOf is null || !anyOf.SequenceEqual(["integer", "string"]))
                errors.Add($"{path}: int-or-string needs anyOf [integer, string]");
        }
        else if (node.ContainsKey("anyOf"))
        {
            errors.Add($"{path}: anyOf only for int-or-string here");
        }
        if (type is not (null or "object" or "array" or "string" or "integer" or "number" or "boolean"))
            errors.Add($"{path}: unknown type {type}");
        if (node.ContainsKey("properties") && node.ContainsKey("additionalProperties"))
            errors.Add($"{path}: properties and additionalProperties are mutually exclusive");
        if ((node.ContainsKey("properties") || node.ContainsKey("additionalProperties")) && type != "object")
            errors.Add($"{path}: properties on a non-object");
        if (type == "array" && node["items"] is not JsonObject)
            errors.Add($"{path}: array without items");
        if (node["enum"] is JsonArray && type != "string")
            errors.Add($"{path}: enum on a non-string");
        if (node["required"] is JsonArray required)
        {
            foreach (var r in required)
            {
                if (node["properties"]?[r!.GetValue<string>()] is null)
                    errors.Add($"{path}: required {r} is not a property");
            }
        }
        foreach (var (name, child) in node["properties"]?.AsObject() ?? [])
            Check(child!.AsObject(), $"{path}.{name}", errors);
        if (node["items"] is JsonObject items)
            Check(items, $"{path}[]", errors);
        if (node["additionalProperties"] is JsonObject additional)
            Check(additional, $"{path}{{*}}", errors);
    }

    /// <summary>Where <paramref name="instance"/> breaks <paramref name="schema"/>: wrong types, missing
    /// required fields, bad enum values, and fields the API server would prune.</summary>
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
            return;
        }
        var preserve = schema["x-kubernetes-preserve-unknown-fields"]?.GetValue<bool>() == true;
        switch (schema["type"]?.GetValue<string>())
        {
            case null when preserve:
                return;
            case "object":
                if (instance is not JsonObject obj)
                {
                    errors.Add($"{path}: not an object");
                    return;
                }
                var properties = schema["properties"]?.AsObject();
                foreach (var r in schema["required"]?.AsArray() ?? [])
                {
                    if (!obj.ContainsKey(r!.GetValue<string>()))
                        errors.Add($"{path}: missing required {r}");
                }
                foreach (var (name, value) in obj)
                {
                    // The API server validates object metadata itself.
                    if (path == "$" && name == "metadata")
                        continue;
                    if (properties?[name] is JsonObject p)
                        Validate(value, p, $"{path}.{name}", errors);
                    else if (schema["additionalProperties"] is JsonObject a)
                        Validate(value, a, $"{path}.{name}", errors);
                    else if (!preserve)
                        errors.Add($"{path}.{name}: would be pruned");
                }
                return;
            case "array":
                if (instance is not JsonArray arr)
                {
                    errors.Add($"{path}: not an array");
                    return;
                }
                for (var i = 0; i < arr.Count; i++)
                    Validate(arr[i], schema["items"]!.AsObject(), $"{path}[{i}]", errors);
                return;
            case var scalar:
                var kind = (instance as JsonValue)?.GetValueKind();
                var ok = scalar switch
                {
                    "string" => kind == JsonValueKind.String,
                    "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
                    "integer" => kind == JsonValueKind.Number && long.TryParse(instance.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture, out _),
                    "number" => kind == JsonValueKind.Number,
                    _ => false,
                };
                if (!ok)
                    errors.Add($"{path}: expected {scalar}, got {instance.ToJsonString()}");
                else if (schema["enum"] is JsonArray values && !values.Any(e => e!.GetValue<string>() == instance.GetValue<string>()))
                    errors.Add($"{path}: {instance} is not one of {values.ToJsonString()}");
                else if (schema["format"]?.GetValue<string>() == "date-time" && !DateTime.TryParse(instance.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out _))
                    errors.Add($"{path}: not a date-time");
                return;
        }
    }
}
