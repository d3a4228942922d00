using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Validation;

/// <summary>The checks kube-apiserver makes on a CustomResourceDefinition itself: names, versions, and for each
/// version's schema: structural types, list-map keys, defaults that fit their schema and survive pruning, and
/// validation rules that compile.</summary>
public static partial class CrdValidator
{
    private const string DnsLabelRule = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

    public static List<FieldError> Validate(JsonObject crd)
    {
        var errors = new List<FieldError>();
        if (crd["spec"] is not JsonObject spec) return [FieldError.Required("spec")];
        if (spec["names"] is JsonObject names) Names(names, errors);
        if (spec["versions"] is JsonArray versions)
        {
            var storage = versions.OfType<JsonObject>().Count(v => SchemaValidator.Bool(v, "storage"));
            if (storage != 1)
                errors.Add(FieldError.Invalid("spec.versions", storage, "must have exactly one version marked as storage version"));
            // kube-apiserver validates its internal form, where a schema that every version shares is held once, as
            // spec.validation, and its errors are named there.
            var schemas = versions.Select(v => v?["schema"]).ToList();
            if (schemas.Count > 0 && schemas.All(s => JsonNode.DeepEquals(s, schemas[0])))
            {
                if (schemas[0]?["openAPIV3Schema"] is JsonObject shared)
                    Schema(shared, "spec.validation.openAPIV3Schema", errors, underPreserve: false);
            }
            else
            {
                for (var i = 0; i < versions.Count; i++)
                {
                    if (schemas[i]?["openAPIV3Schema"] is JsonObject schema)
                        Schema(schema, $"spec.versions[{i}].schema.openAPIV3Schema", errors, underPreserve: false);
                }
            }
        }
        return errors;
    }

    private static void Names(JsonObject names, List<FieldError> errors)
    {
        foreach (var key in new[] { "plural", "singular" })
        {
            if (SchemaValidator.Str(names, key) is { Length: > 0 } value && !DnsLabel().IsMatch(value))
                errors.Add(FieldError.Invalid($"spec.names.{key}", value, DnsLabelRule));
        }
        var kind = SchemaValidator.Str(names, "kind");
        if (string.IsNullOrEmpty(kind)) errors.Add(FieldError.Required("spec.names.kind"));
        if (kind is not null && SchemaValidator.Str(names, "listKind") == kind)
            errors.Add(FieldError.Invalid("spec.names.listKind", kind, "kind and listKind may not be the same"));
    }

    private static void Schema(JsonObject s, string path, List<FieldError> errors, bool underPreserve)
    {
        var preserve = underPreserve || SchemaValidator.Bool(s, "x-kubernetes-preserve-unknown-fields");
        var intOrString = SchemaValidator.Bool(s, "x-kubernetes-int-or-string");
        var type = SchemaValidator.Str(s, "type");
        if (string.IsNullOrEmpty(type) && !preserve && !intOrString)
            errors.Add(FieldError.Required($"{path}.type", "must not be empty for specified object fields"));

        ListMapKeys(s, path, errors);
        if (s["default"] is { } dflt) Default(s, dflt, path, errors);
        if (s["x-kubernetes-validations"] is JsonArray rules)
        {
            for (var i = 0; i < rules.Count; i++)
            {
                var rulePath = $"{path}.x-kubernetes-validations[{i}]";
                if (rules[i] is not JsonObject rule || SchemaValidator.Str(rule, "rule") is not { Length: > 0 } text)
                {
                    errors.Add(FieldError.Required($"{rulePath}.rule"));
                    continue;
                }
                if (CelRules.CompileError(text) is { } error)
                    errors.Add(FieldError.Invalid($"{rulePath}.rule", Shown(rule), $"compilation failed: {error}"));
                if (SchemaValidator.Str(rule, "messageExpression") is { Length: > 0 } expression && CelRules.CompileError(expression) is { } mError)
                    errors.Add(FieldError.Invalid($"{rulePath}.messageExpression", Shown(rule), $"messageExpression compilation failed: {mError}"));
            }
        }

        if (s["properties"] is JsonObject properties)
        {
            foreach (var (name, child) in properties)
            {
                if (child is JsonObject c) Schema(c, $"{path}.properties[{name}]", errors, preserve);
            }
        }
        if (s["items"] is JsonObject items) Schema(items, $"{path}.items", errors, preserve);
        if (s["additionalProperties"] is JsonObject additional) Schema(additional, $"{path}.additionalProperties", errors, preserve);
    }

    /// <summary>A keyed list must be a list-type map of objects whose key properties are scalar and always present
    /// (required, or given a default).</summary>
    private static void ListMapKeys(JsonObject s, string path, List<FieldError> errors)
    {
        var listType = SchemaValidator.Str(s, "x-kubernetes-list-type");
        var keys = (s["x-kubernetes-list-map-keys"] as JsonArray)?.Select(k => k?.GetValue<string>() ?? "").ToList();
        if (keys is null || keys.Count == 0)
        {
            if (listType == "map")
                errors.Add(FieldError.Required($"{path}.x-kubernetes-list-map-keys", "must not be empty if x-kubernetes-list-type is map"));
            return;
        }
        if (listType != "map")
        {
            errors.Add(FieldError.Invalid($"{path}.x-kubernetes-list-type", listType ?? "", "must be map if x-kubernetes-list-map-keys is non-empty"));
            return;
        }
        if (s["items"] is not JsonObject items || SchemaValidator.Str(items, "type") != "object")
        {
            errors.Add(FieldError.Invalid($"{path}.items.type", s["items"]?["type"]?.DeepClone(), "must be object if parent array's x-kubernetes-list-type is map"));
            return;
        }
        var required = (items["required"] as JsonArray)?.Select(r => r?.GetValue<string>()).ToHashSet() ?? [];
        foreach (var key in keys)
        {
            var keyPath = $"{path}.items.properties[{key}]";
            if (items["properties"]?[key] is not JsonObject keySchema)
            {
                errors.Add(FieldError.Required(keyPath, "entries in x-kubernetes-list-map-keys must correspond to existing properties"));
                continue;
            }
            if (SchemaValidator.Str(keySchema, "type") is "object" or "array")
                errors.Add(FieldError.Invalid($"{keyPath}.type", SchemaValidator.Str(keySchema, "type"), "must be a scalar type if parent array's x-kubernetes-list-type is map"));
            if (!required.Contains(key) && keySchema["default"] is null)
                errors.Add(FieldError.Required($"{keyPath}.default", "this property is in x-kubernetes-list-map-keys, so it must have a default or be a required property"));
        }
    }

    /// <summary>A rule as kube-apiserver shows it in an error: its internal Go struct as JSON, every field named.</summary>
    private static JsonObject Shown(JsonObject rule) => new()
    {
        ["Rule"] = SchemaValidator.Str(rule, "rule") ?? "",
        ["Message"] = SchemaValidator.Str(rule, "message") ?? "",
        ["MessageExpression"] = SchemaValidator.Str(rule, "messageExpression") ?? "",
        ["Reason"] = rule["reason"]?.DeepClone(),
        ["FieldPath"] = SchemaValidator.Str(rule, "fieldPath") ?? "",
        ["OptionalOldSelf"] = rule["optionalOldSelf"]?.DeepClone(),
    };

    /// <summary>A default must be valid for its own schema and must not carry fields pruning would drop.</summary>
    private static void Default(JsonObject s, JsonNode dflt, string path, List<FieldError> errors)
    {
        foreach (var e in SchemaValidator.ValidateValue(s, dflt, $"{path}.default")) errors.Add(e);
        if (dflt is JsonObject obj)
        {
            var copy = (JsonObject)obj.DeepClone();
            var pruned = SchemaPruner.PruneValue(s, copy);
            if (pruned.Count > 0)
                errors.Add(FieldError.Invalid($"{path}.default", dflt.DeepClone(), $"must not have unknown fields: {string.Join(", ", pruned)}"));
        }
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
