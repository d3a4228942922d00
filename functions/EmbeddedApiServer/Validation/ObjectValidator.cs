using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Validation;

/// <summary>The validation step of a write, after defaulting and pruning (and after mutating admission) and before
/// validating admission: metadata for every kind, the schema and its rules for custom resources, and the
/// definition itself for CustomResourceDefinitions. Throws a 422 Invalid with every failure.</summary>
public static class ObjectValidator
{
    public static void OnCreate(ResourceType type, JsonObject obj) => Throw(type, obj, Errors(type, obj, null, null));

    /// <param name="requestedUid">metadata.uid as the request sent it, before the server restored the stored one.</param>
    /// <param name="subresource">"status" validates status only: the rest of the object is the stored one.</param>
    public static void OnUpdate(ResourceType type, JsonObject old, JsonObject next, string? requestedUid, string? subresource)
    {
        var errors = MetadataValidator.ValidateUpdate(requestedUid, ObjectRules.Meta(old));
        errors.AddRange(Errors(type, next, old, subresource));
        Throw(type, next, errors);
    }

    private static List<FieldError> Errors(ResourceType type, JsonObject obj, JsonObject? old, string? subresource)
    {
        var errors = subresource == "status" ? [] : MetadataValidator.Validate(ObjectRules.Meta(obj));
        if (type.Behavior == KindBehavior.Custom && type.Schema is { } schema)
        {
            var schemaErrors = SchemaValidator.Validate(schema, obj, old, blocked: errors.Any(SchemaValidator.BlocksRules));
            errors.AddRange(subresource == "status"
                ? schemaErrors.Where(e => e.Field is "status" or SchemaValidator.SkippedRulesField || e.Field.StartsWith("status.", StringComparison.Ordinal) || e.Field.StartsWith("status[", StringComparison.Ordinal))
                : schemaErrors);
        }
        if (type.Behavior == KindBehavior.CustomResourceDefinition && subresource is null) errors.AddRange(CrdValidator.Validate(obj));
        return errors;
    }

    private static void Throw(ResourceType type, JsonObject obj, List<FieldError> errors)
    {
        if (errors.Count == 0) return;
        var name = ObjectRules.Text(ObjectRules.Meta(obj), "name") ?? "";
        throw FieldError.ToException(type.Group, type.Kind, name, errors);
    }
}
