using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Builds structural OpenAPI v3 schemas from the C# types by reflection: JSON names from
/// <see cref="JsonPropertyNameAttribute"/>, types from CLR types, <c>required</c>, <c>enum</c> and
/// <c>x-kubernetes-preserve-unknown-fields</c> from the schema attributes, and CAPI's validations (lengths,
/// bounds, patterns, list and map types, defaults, CEL rules) from the <see cref="KubeSchemaRuleAttribute"/>s
/// on properties and classes.</summary>
public static class SchemaGenerator
{
    /// <summary>The <c>openAPIV3Schema</c> of a top-level kind.</summary>
    public static JsonObject ForKind(KindInfo kind)
    {
        var sample = kind.Create();
        var properties = new JsonObject
        {
            ["apiVersion"] = new JsonObject { ["type"] = "string" },
            ["kind"] = new JsonObject { ["type"] = "string" },
            ["metadata"] = new JsonObject { ["type"] = "object" },
        };
        if (sample.SpecType is { } spec)
            properties["spec"] = ForType(spec);
        if (sample.StatusType is { } status && status != typeof(NoStatus))
            properties["status"] = ForType(status);
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = properties,
        };
        if (kind.SpecRequired)
            schema["required"] = new JsonArray("spec");
        return schema;
    }

    /// <summary>The schema of a CLR type as it appears on the wire.</summary>
    public static JsonObject ForType(Type type)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
            return Typed("string");
        if (underlying == typeof(bool))
            return Typed("boolean");
        if (underlying == typeof(int))
            return Typed("integer", "int32");
        if (underlying == typeof(long))
            return Typed("integer", "int64");
        if (underlying == typeof(double) || underlying == typeof(float))
            return Typed("number");
        if (underlying == typeof(DateTime) || underlying == typeof(DateTimeOffset))
            return Typed("string", "date-time");
        if (underlying == typeof(IntOrString))
        {
            return new JsonObject
            {
                ["anyOf"] = new JsonArray(Typed("integer"), Typed("string")),
                ["x-kubernetes-int-or-string"] = true,
            };
        }
        if (underlying == typeof(JsonElement) || typeof(JsonNode).IsAssignableFrom(underlying))
            return new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true };
        if (DictionaryValueType(underlying) is { } valueType)
            return new JsonObject { ["type"] = "object", ["additionalProperties"] = ForType(valueType) };
        if (ListItemType(underlying) is { } itemType)
            return new JsonObject { ["type"] = "array", ["items"] = ForType(itemType) };
        if (typeof(ApiObject).IsAssignableFrom(underlying))
            return ForObject(underlying);
        throw new NotSupportedException($"No schema mapping for {underlying.FullName}.");
    }

    private static JsonObject ForObject(Type type)
    {
        var properties = new SortedDictionary<string, JsonNode>(StringComparer.Ordinal);
        var required = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var prop in WireProperties(type))
        {
            var name = prop.GetCustomAttribute<JsonPropertyNameAttribute>()!.Name;
            var schema = prop.GetCustomAttribute<KubeSchemalessAttribute>() is not null
                ? new JsonObject { ["x-kubernetes-preserve-unknown-fields"] = true }
                : ForType(prop.PropertyType);
            if (prop.GetCustomAttribute<KubeEnumAttribute>() is { } e)
                schema["enum"] = new JsonArray(e.Values.Select(v => (JsonNode)JsonValue.Create(v)).ToArray());
            if (prop.GetCustomAttribute<PreserveUnknownFieldsAttribute>() is not null && schema["type"]?.GetValue<string>() == "object")
                schema["x-kubernetes-preserve-unknown-fields"] = true;
            foreach (var rule in prop.GetCustomAttributes<KubeSchemaRuleAttribute>())
                rule.Apply(ElementSchema(schema, rule.ItemLevel, type, name));
            properties[name] = schema;
            if (prop.GetCustomAttribute<KubeRequiredAttribute>() is not null)
                required.Add(name);
        }
        var result = new JsonObject { ["type"] = "object" };
        if (properties.Count > 0)
            result["properties"] = new JsonObject(properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        if (required.Count > 0)
            result["required"] = new JsonArray(required.Select(r => (JsonNode)JsonValue.Create(r)).ToArray());
        if (type.GetCustomAttribute<PreserveUnknownFieldsAttribute>(inherit: true) is not null)
            result["x-kubernetes-preserve-unknown-fields"] = true;
        foreach (var rule in type.GetCustomAttributes<KubeSchemaRuleAttribute>(inherit: true))
            rule.Apply(result);
        return result;
    }

    /// <summary>The properties written to JSON, with their explicit names.</summary>
    public static IEnumerable<PropertyInfo> WireProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.GetCustomAttribute<JsonIgnoreAttribute>() is null
                && p.GetCustomAttribute<JsonExtensionDataAttribute>() is null
                && p.GetCustomAttribute<JsonPropertyNameAttribute>() is not null);

    private static JsonObject ElementSchema(JsonObject schema, int level, Type owner, string property)
    {
        for (var i = 0; i < level; i++)
        {
            schema = schema["items"] as JsonObject ?? schema["additionalProperties"] as JsonObject
                ?? throw new InvalidOperationException($"{owner.Name}.{property}: a rule {level} item levels down needs as many nested lists or maps.");
        }
        return schema;
    }

    private static JsonObject Typed(string type, string? format = null)
    {
        var o = new JsonObject { ["type"] = type };
        if (format is not null)
            o["format"] = format;
        return o;
    }

    private static Type? DictionaryValueType(Type type)
    {
        var dict = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IDictionary<,>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDictionary<,>));
        return dict is not null && dict.GetGenericArguments()[0] == typeof(string) ? dict.GetGenericArguments()[1] : null;
    }

    private static Type? ListItemType(Type type)
    {
        if (type == typeof(string))
            return null;
        var list = type.IsGenericType && type.GetGenericTypeDefinition() == typeof(IList<>)
            ? type
            : type.GetInterfaces().FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IList<>));
        return list?.GetGenericArguments()[0];
    }
}
