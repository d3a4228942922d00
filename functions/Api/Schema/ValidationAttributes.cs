using System.Text.Json.Nodes;

namespace ServerlessCapi.Api;

/// <summary>A validation the CRD generator writes into a schema node, mirroring one of CAPI's kubebuilder
/// markers. On a property it applies to that field's schema (with <see cref="OnItems"/>, to the schema of its
/// list items or map values, as markers on a Go element type do); on a class, to the class's schema wherever
/// the class is used.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public abstract class KubeSchemaRuleAttribute : Attribute
{
    /// <summary>Apply to the items of the list (or the values of the map) rather than to the field itself.</summary>
    public bool OnItems
    {
        get => ItemLevel > 0;
        set => ItemLevel = value ? 1 : 0;
    }

    /// <summary>How many list (or map) levels down the rule applies: 0 the field, 1 its items, 2 the items of
    /// its items (a list of lists).</summary>
    public int ItemLevel { get; set; }

    /// <summary>Writes the rule into <paramref name="schema"/>.</summary>
    public abstract void Apply(JsonObject schema);
}

/// <summary>Shortest string length (<c>minLength</c>).</summary>
public sealed class KubeMinLengthAttribute(int value) : KubeSchemaRuleAttribute
{
    public int Value { get; } = value;

    public override void Apply(JsonObject schema) => schema["minLength"] = Value;
}

/// <summary>Longest string length (<c>maxLength</c>); CEL cost estimates rely on it.</summary>
public sealed class KubeMaxLengthAttribute(int value) : KubeSchemaRuleAttribute
{
    public int Value { get; } = value;

    public override void Apply(JsonObject schema) => schema["maxLength"] = Value;
}

/// <summary>Smallest number (<c>minimum</c>).</summary>
public sealed class KubeMinimumAttribute(long value) : KubeSchemaRuleAttribute
{
    public long Value { get; } = value;

    public override void Apply(JsonObject schema) => schema["minimum"] = Value;
}

/// <summary>Largest number (<c>maximum</c>).</summary>
public sealed class KubeMaximumAttribute(long value) : KubeSchemaRuleAttribute
{
    public long Value { get; } = value;

    public override void Apply(JsonObject schema) => schema["maximum"] = Value;
}

/// <summary>A regular expression (RE2 syntax, as the API server evaluates it) the string must match (<c>pattern</c>).</summary>
public sealed class KubePatternAttribute(string value) : KubeSchemaRuleAttribute
{
    public string Value { get; } = value;

    public override void Apply(JsonObject schema) => schema["pattern"] = Value;
}

/// <summary>A string or number format (<c>format</c>), e.g. <c>date-time</c>, <c>int32</c>.</summary>
public sealed class KubeFormatAttribute(string value) : KubeSchemaRuleAttribute
{
    public string Value { get; } = value;

    public override void Apply(JsonObject schema) => schema["format"] = Value;
}

/// <summary>Bounds on a list's length (<c>minItems</c>, <c>maxItems</c>); a bound left at -1 is not set.</summary>
public sealed class KubeItemsAttribute(int min, int max) : KubeSchemaRuleAttribute
{
    public int Min { get; } = min;

    public int Max { get; } = max;

    public override void Apply(JsonObject schema)
    {
        if (Min >= 0)
            schema["minItems"] = Min;
        if (Max >= 0)
            schema["maxItems"] = Max;
    }
}

/// <summary>Bounds on an object's number of fields (<c>minProperties</c>, <c>maxProperties</c>); a bound left at
/// -1 is not set. CAPI puts <c>minProperties: 1</c> on optional structs so that an empty one is omitted, not sent.</summary>
public sealed class KubePropertiesAttribute(int min, int max = -1) : KubeSchemaRuleAttribute
{
    public int Min { get; } = min;

    public int Max { get; } = max;

    public override void Apply(JsonObject schema)
    {
        if (Min >= 0)
            schema["minProperties"] = Min;
        if (Max >= 0)
            schema["maxProperties"] = Max;
    }
}

/// <summary>How the API server merges and compares a list (<c>x-kubernetes-list-type</c>: atomic, set or map).</summary>
public sealed class KubeListTypeAttribute(string value) : KubeSchemaRuleAttribute
{
    public string Value { get; } = value;

    public override void Apply(JsonObject schema) => schema["x-kubernetes-list-type"] = Value;
}

/// <summary>The fields that identify an item of a map list (<c>x-kubernetes-list-map-keys</c>); each must be
/// required or defaulted in the item schema.</summary>
public sealed class KubeListMapKeysAttribute(params string[] keys) : KubeSchemaRuleAttribute
{
    public IReadOnlyList<string> Keys { get; } = keys;

    public override void Apply(JsonObject schema) =>
        schema["x-kubernetes-list-map-keys"] = new JsonArray(Keys.Select(k => (JsonNode)JsonValue.Create(k)).ToArray());
}

/// <summary>How the API server merges an object (<c>x-kubernetes-map-type</c>: atomic or granular).</summary>
public sealed class KubeMapTypeAttribute(string value) : KubeSchemaRuleAttribute
{
    public string Value { get; } = value;

    public override void Apply(JsonObject schema) => schema["x-kubernetes-map-type"] = Value;
}

/// <summary>The value the API server fills in when the field is absent (<c>default</c>), as JSON text.</summary>
public sealed class KubeDefaultAttribute(string json) : KubeSchemaRuleAttribute
{
    public string Json { get; } = json;

    public override void Apply(JsonObject schema) => schema["default"] = JsonNode.Parse(Json);
}

/// <summary>A CEL rule the API server evaluates on the field (<c>x-kubernetes-validations</c>); a rule that
/// reads <c>oldSelf</c> is a transition rule, checked on updates only.</summary>
public sealed class KubeValidationAttribute(string rule, string message) : KubeSchemaRuleAttribute
{
    public string Rule { get; } = rule;

    public string Message { get; } = message;

    /// <summary>A CEL expression that builds the message from the value.</summary>
    public string? MessageExpression { get; set; }

    /// <summary>The reason reported with a failure (FieldValueInvalid, FieldValueForbidden, …).</summary>
    public string? Reason { get; set; }

    /// <summary>The field the failure is reported on, relative to the node.</summary>
    public string? FieldPath { get; set; }

    /// <summary>Evaluate the transition rule also when there is no old value (<c>optionalOldSelf</c>).</summary>
    public bool OptionalOldSelf { get; set; }

    public override void Apply(JsonObject schema)
    {
        if (schema["x-kubernetes-validations"] is not JsonArray rules)
            schema["x-kubernetes-validations"] = rules = [];
        var entry = new JsonObject();
        if (FieldPath is not null)
            entry["fieldPath"] = FieldPath;
        entry["message"] = Message;
        if (MessageExpression is not null)
            entry["messageExpression"] = MessageExpression;
        if (OptionalOldSelf)
            entry["optionalOldSelf"] = true;
        if (Reason is not null)
            entry["reason"] = Reason;
        entry["rule"] = Rule;
        rules.Add(entry);
    }
}

/// <summary>The schema type of a field kept as opaque JSON (<see cref="System.Text.Json.JsonElement"/>), so that
/// CAPI's bounds on it apply; a list gets items that keep every field.</summary>
public sealed class KubeTypeAttribute(string type) : KubeSchemaRuleAttribute
{
    public string Type { get; } = type;

    public override void Apply(JsonObject schema)
    {
        schema["type"] = Type;
        if (Type == "array")
            schema["items"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true };
    }
}
