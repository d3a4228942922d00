namespace ServerlessCapi.Api;

/// <summary>The field is required in CAPI's OpenAPI schema (listed in the parent's <c>required</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KubeRequiredAttribute : Attribute;

/// <summary>The string field only takes these values (schema <c>enum</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KubeEnumAttribute(params string[] values) : Attribute
{
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>The object keeps fields the types do not model (<c>x-kubernetes-preserve-unknown-fields</c>),
/// because CAPI allows arbitrary content there or because only its commonly used parts are modelled.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;

/// <summary>The field's schema is left open (<c>x-kubernetes-preserve-unknown-fields</c> with no type), as
/// kubebuilder's <c>Schemaless</c> marker does: for self-nesting types a structural schema cannot describe.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class KubeSchemalessAttribute : Attribute;
