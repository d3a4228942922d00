using System.Text.Json.Nodes;

namespace ServerlessCapi.Api.Tests;

/// <summary>Checks the rules a kube-apiserver applies to CRD schemas: structural schema, where each
/// validation keyword may appear, list and map types, and the bounds CEL cost estimation needs.</summary>
internal static class StructuralSchema
{
    private static readonly HashSet<string> AllowedKeywords =
    [
        "type", "format", "properties", "required", "items", "additionalProperties", "enum", "description",
        "anyOf", "x-kubernetes-int-or-string", "x-kubernetes-preserve-unknown-fields", "default", "nullable",
        "minLength", "maxLength", "pattern", "minimum", "maximum", "minItems", "maxItems", "minProperties",
        "maxProperties", "x-kubernetes-validations", "x-kubernetes-list-type", "x-kubernetes-list-map-keys",
        "x-kubernetes-map-type",
    ];

    private static readonly string[] IteratingMacros = ["all(", "exists(", "exists_one(", "filter(", "map("];

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
        CheckKeywordTypes(node, type, intOrString, path, errors);
        CheckListAndMapTypes(node, type, path, errors);
        CheckValidations(node, type, path, errors);
        foreach (var (name, child) in node["properties"]?.AsObject() ?? [])
            Check(child!.AsObject(), $"{path}.{name}", errors);
        if (node["items"] is JsonObject items)
            Check(items, $"{path}[]", errors);
        if (node["additionalProperties"] is JsonObject additional)
            Check(additional, $"{path}{{*}}", errors);
    }

    private static void CheckKeywordTypes(JsonObject node, string? type, bool intOrString, string path, List<string> errors)
    {
        void Only(string keyword, bool allowed, string what)
        {
            if (node.ContainsKey(keyword) && !allowed)
                errors.Add($"{path}: {keyword} applies to {what} only");
        }
        Only("minLength", type == "string", "strings");
        Only("maxLength", type == "string", "strings");
        Only("pattern", type == "string" || intOrString, "strings");
        Only("minimum", type is "integer" or "number", "numbers");
        Only("maximum", type is "integer" or "number", "numbers");
        Only("minItems", type == "array", "arrays");
        Only("maxItems", type == "array", "arrays");
        Only("minProperties", type == "object", "objects");
        Only("maxProperties", type == "object", "objects");
        if (node["pattern"] is JsonValue pattern)
        {
            try
            {
                _ = new System.Text.RegularExpressions.Regex(pattern.GetValue<string>());
            }
            catch (ArgumentException e)
            {
                errors.Add($"{path}: pattern does not compile: {e.Message}");
            }
        }
    }

    private static void CheckListAndMapTypes(JsonObject node, string? type, string path, List<string> errors)
    {
        var listType = node["x-kubernetes-list-type"]?.GetValue<string>();
        if (listType is not null && type != "array")
            errors.Add($"{path}: x-kubernetes-list-type on a non-array");
        if (listType is not (null or "atomic" or "set" or "map"))
            errors.Add($"{path}: unknown x-kubernetes-list-type {listType}");
        var items = node["items"] as JsonObject;
        var keys = node["x-kubernetes-list-map-keys"]?.AsArray().Select(k => k!.GetValue<string>()).ToList();
        if (keys is not null && listType != "map")
            errors.Add($"{path}: x-kubernetes-list-map-keys needs x-kubernetes-list-type map");
        if (listType == "map")
        {
            if (items?["type"]?.GetValue<string>() != "object")
                errors.Add($"{path}: a map list needs object items");
            if (keys is null || keys.Count == 0)
                errors.Add($"{path}: a map list needs x-kubernetes-list-map-keys");
            var itemRequired = items?["required"]?.AsArray().Select(r => r!.GetValue<string>()).ToHashSet() ?? [];
            foreach (var key in keys ?? [])
            {
                var keySchema = items?["properties"]?[key];
                if (keySchema is null)
                    errors.Add($"{path}: map key {key} is not an item property");
                else if (keySchema["type"]?.GetValue<string>() is not ("string" or "integer" or "number" or "boolean"))
                    errors.Add($"{path}: map key {key} must be a scalar");
                else if (!itemRequired.Contains(key) && keySchema["default"] is null)
                    errors.Add($"{path}: map key {key} must be required or defaulted");
            }
        }
        if (listType == "set" && items?["type"]?.GetValue<string>() is "object" or "array"
            && items["x-kubernetes-map-type"]?.GetValue<string>() != "atomic")
            errors.Add($"{path}: a set list needs scalar or atomic items");
        var mapType = node["x-kubernetes-map-type"]?.GetValue<string>();
        if (mapType is not null && type != "object")
            errors.Add($"{path}: x-kubernetes-map-type on a non-object");
        if (mapType is not (null or "atomic" or "granular"))
            errors.Add($"{path}: unknown x-kubernetes-map-type {mapType}");
    }

    private static void CheckValidations(JsonObject node, string? type, string path, List<string> errors)
    {
        if (node["x-kubernetes-validations"] is not JsonArray rules)
            return;
        foreach (var rule in rules.Select(r => r!.AsObject()))
        {
            var text = rule["rule"]?.GetValue<string>();
            if (string.IsNullOrWhiteSpace(text))
                errors.Add($"{path}: a validation without a rule");
            if (rule["message"] is null && rule["messageExpression"] is null)
                errors.Add($"{path}: a validation without a message");
            if (rule["message"]?.GetValue<string>().Contains('\n', StringComparison.Ordinal) == true)
                errors.Add($"{path}: a validation message must be one line");
            if (rule["reason"]?.GetValue<string>() is { } reason && reason is not ("FieldValueInvalid" or "FieldValueForbidden" or "FieldValueRequired" or "FieldValueDuplicate"))
                errors.Add($"{path}: unknown validation reason {reason}");
            // The API server estimates a rule's worst-case cost from maxItems/maxLength; a rule that iterates an
            // unbounded list (or compares unbounded strings inside one) exceeds the budget and the CRD is refused.
            if (type == "array" && text is not null && IteratingMacros.Any(m => text.Contains(m, StringComparison.Ordinal)))
            {
                if (node["maxItems"] is null)
                    errors.Add($"{path}: a rule iterates a list without maxItems");
                foreach (var (name, field) in node["items"]?["properties"]?.AsObject() ?? [])
                {
                    if (field?["type"]?.GetValue<string>() == "string" && field["maxLength"] is null && text.Contains("." + name, StringComparison.Ordinal))
                        errors.Add($"{path}[].{name}: a rule reads this string without maxLength");
                }
            }
        }
    }
}
