using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>A variable a ClusterClass offers to its Clusters, with the schema its values must follow.</summary>
public sealed class ClusterClassVariable : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Name { get; set; } = "";

    /// <summary>Whether every Cluster of the class must give a value (after defaulting).</summary>
    [JsonPropertyName("required"), KubeRequired]
    public bool? Required { get; set; }

    [JsonPropertyName("deprecatedV1Beta1Metadata")]
    public ClusterClassVariableMetadata? DeprecatedV1Beta1Metadata { get; set; }

    [JsonPropertyName("schema"), KubeRequired]
    public VariableSchema Schema { get; set; } = new();
}

/// <summary>Labels and annotations of a variable (v1beta1's place for them; <c>x-metadata</c> replaces it).</summary>
[KubeProperties(1)]
public sealed class ClusterClassVariableMetadata : ApiObject
{
    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>The schema of a variable.</summary>
public sealed class VariableSchema : ApiObject
{
    [JsonPropertyName("openAPIV3Schema"), KubeRequired]
    public JsonSchemaProps OpenApiV3Schema { get; set; } = new();
}

/// <summary>The subset of OpenAPI v3 (with Kubernetes' extensions) that variable schemas use. Nested schemas are
/// kept schemaless in the CRD, as CAPI does, because a structural schema cannot recurse.</summary>
[KubeProperties(1)]
public sealed class JsonSchemaProps : ApiObject
{
    [JsonPropertyName("description")]
    [KubeMinLength(1), KubeMaxLength(4096)]
    public string? Description { get; set; }

    [JsonPropertyName("example")]
    public JsonElement? Example { get; set; }

    [JsonPropertyName("type"), KubeEnum("object", "array", "string", "integer", "number", "boolean")]
    public string? Type { get; set; }

    [JsonPropertyName("properties"), KubeSchemaless]
    public Dictionary<string, JsonSchemaProps>? Properties { get; set; }

    [JsonPropertyName("additionalProperties"), KubeSchemaless]
    public JsonSchemaProps? AdditionalPropertiesSchema { get; set; }

    [JsonPropertyName("maxProperties")]
    public long? MaxProperties { get; set; }

    [JsonPropertyName("minProperties")]
    public long? MinProperties { get; set; }

    [JsonPropertyName("required")]
    [KubeItems(1, 1000), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? Required { get; set; }

    [JsonPropertyName("items"), KubeSchemaless]
    public JsonSchemaProps? Items { get; set; }

    [JsonPropertyName("maxItems")]
    public long? MaxItems { get; set; }

    [JsonPropertyName("minItems")]
    public long? MinItems { get; set; }

    [JsonPropertyName("uniqueItems")]
    public bool? UniqueItems { get; set; }

    [JsonPropertyName("format")]
    [KubeMinLength(1), KubeMaxLength(32)]
    public string? Format { get; set; }

    [JsonPropertyName("maxLength")]
    public long? MaxLength { get; set; }

    [JsonPropertyName("minLength")]
    public long? MinLength { get; set; }

    [JsonPropertyName("pattern")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? Pattern { get; set; }

    [JsonPropertyName("maximum")]
    public long? Maximum { get; set; }

    [JsonPropertyName("exclusiveMaximum")]
    public bool? ExclusiveMaximum { get; set; }

    [JsonPropertyName("minimum")]
    public long? Minimum { get; set; }

    [JsonPropertyName("exclusiveMinimum")]
    public bool? ExclusiveMinimum { get; set; }

    [JsonPropertyName("x-kubernetes-preserve-unknown-fields")]
    public bool? XPreserveUnknownFields { get; set; }

    [JsonPropertyName("enum")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    public List<JsonElement>? Enum { get; set; }

    [JsonPropertyName("default")]
    public JsonElement? Default { get; set; }

    [JsonPropertyName("x-kubernetes-validations")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("rule")]
    public List<ValidationRule>? XValidations { get; set; }

    [JsonPropertyName("x-metadata")]
    public VariableSchemaMetadata? XMetadata { get; set; }

    [JsonPropertyName("x-kubernetes-int-or-string")]
    public bool? XIntOrString { get; set; }

    [JsonPropertyName("allOf"), KubeSchemaless]
    public List<JsonSchemaProps>? AllOf { get; set; }

    [JsonPropertyName("oneOf"), KubeSchemaless]
    public List<JsonSchemaProps>? OneOf { get; set; }

    [JsonPropertyName("anyOf"), KubeSchemaless]
    public List<JsonSchemaProps>? AnyOf { get; set; }

    [JsonPropertyName("not"), KubeSchemaless]
    public JsonSchemaProps? Not { get; set; }
}

/// <summary>Labels and annotations attached to a variable's schema (<c>x-metadata</c>), for tools; they have no
/// effect on validation.</summary>
[KubeProperties(1)]
public sealed class VariableSchemaMetadata : ApiObject
{
    [JsonPropertyName("labels")]
    public Dictionary<string, string>? Labels { get; set; }

    [JsonPropertyName("annotations")]
    public Dictionary<string, string>? Annotations { get; set; }
}

/// <summary>A CEL rule on a variable's value (<c>x-kubernetes-validations</c>).</summary>
public sealed class ValidationRule : ApiObject
{
    [JsonPropertyName("rule"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(4096)]
    public string Rule { get; set; } = "";

    [JsonPropertyName("message")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? Message { get; set; }

    [JsonPropertyName("messageExpression")]
    [KubeMinLength(1), KubeMaxLength(1024)]
    public string? MessageExpression { get; set; }

    [JsonPropertyName("reason"), KubeDefault("\"FieldValueInvalid\"")]
    [KubeEnum(FieldValueErrorReason.Invalid, FieldValueErrorReason.Forbidden, FieldValueErrorReason.Required, FieldValueErrorReason.Duplicate)]
    public string? Reason { get; set; }

    [JsonPropertyName("fieldPath")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? FieldPath { get; set; }
}

/// <summary>Values of <see cref="ValidationRule.Reason"/>.</summary>
public static class FieldValueErrorReason
{
    public const string Required = "FieldValueRequired";
    public const string Duplicate = "FieldValueDuplicate";
    public const string Invalid = "FieldValueInvalid";
    public const string Forbidden = "FieldValueForbidden";
}

/// <summary>One variable as the class's status lists it, with its definition from each source.</summary>
public sealed class ClusterClassStatusVariable : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Name { get; set; } = "";

    /// <summary>True when the sources define the variable differently.</summary>
    [JsonPropertyName("definitionsConflict")]
    public bool? DefinitionsConflict { get; set; }

    [JsonPropertyName("definitions"), KubeRequired]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<ClusterClassStatusVariableDefinition> Definitions { get; set; } = [];
}

/// <summary>The definition of a variable from one source: <c>inline</c> (the class's spec) or the name of a
/// discovery extension.</summary>
public sealed class ClusterClassStatusVariableDefinition : ApiObject
{
    /// <summary>The source named by the inline definitions of the class's spec.</summary>
    public const string Inline = "inline";

    [JsonPropertyName("from"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string From { get; set; } = "";

    [JsonPropertyName("required"), KubeRequired]
    public bool? Required { get; set; }

    [JsonPropertyName("deprecatedV1Beta1Metadata")]
    public ClusterClassVariableMetadata? DeprecatedV1Beta1Metadata { get; set; }

    [JsonPropertyName("schema"), KubeRequired]
    public VariableSchema Schema { get; set; } = new();
}
