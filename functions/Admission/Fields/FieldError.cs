using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>The kinds of field errors Kubernetes reports (field.ErrorType), with the cause reason each maps to.</summary>
public enum FieldErrorType
{
    Invalid,
    Required,
    Forbidden,
    NotSupported,
    Duplicate,
    TooLong,
    Internal,
}

/// <summary>One field error, printed as apimachinery prints a <c>field.Error</c>: <c>path: Invalid value: "x": detail</c>.</summary>
public sealed record FieldError(FieldErrorType Type, string Field, JsonNode? BadValue, string Detail, bool HasValue)
{
    public static FieldError Invalid(FieldPath path, object? value, string detail) => new(FieldErrorType.Invalid, path.ToString(), ToNode(value), detail, true);

    public static FieldError Required(FieldPath path, string detail = "") => new(FieldErrorType.Required, path.ToString(), null, detail, false);

    public static FieldError Forbidden(FieldPath path, string detail) => new(FieldErrorType.Forbidden, path.ToString(), null, detail, false);

    public static FieldError Internal(FieldPath path, string detail) => new(FieldErrorType.Internal, path.ToString(), null, detail, false);

    /// <summary>An enum violation, worded as the API server words a CRD's enum.</summary>
    public static FieldError NotSupported(FieldPath path, string value, IEnumerable<string> supported) =>
        new(FieldErrorType.NotSupported, path.ToString(), JsonValue.Create(value),
            "supported values: " + string.Join(", ", supported.Select(s => JsonSerializer.Serialize(s, Rendering.Options))), true);

    /// <summary>The cause reason of a Status (<c>FieldValueInvalid</c>, …).</summary>
    public string Reason => Type switch
    {
        FieldErrorType.Invalid => "FieldValueInvalid",
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.TooLong => "FieldValueTooLong",
        _ => "InternalError",
    };

    private string TypeText => Type switch
    {
        FieldErrorType.Invalid => "Invalid value",
        FieldErrorType.Required => "Required value",
        FieldErrorType.Forbidden => "Forbidden",
        FieldErrorType.NotSupported => "Unsupported value",
        FieldErrorType.Duplicate => "Duplicate value",
        FieldErrorType.TooLong => "Too long",
        _ => "Internal error",
    };

    /// <summary>The error without its field (a Status cause's message).</summary>
    public string Body
    {
        get
        {
            var text = TypeText;
            if (HasValue)
                text += ": " + (BadValue is null ? "null" : BadValue.ToJsonString(Rendering.Options));
            return Detail.Length > 0 ? $"{text}: {Detail}" : text;
        }
    }

    public override string ToString() => $"{Field}: {Body}";

    // Bad values print as JSON, as apimachinery prints values that are neither strings nor numbers.
    private static JsonNode? ToNode(object? value) => value switch
    {
        null => null,
        JsonNode node => node.DeepClone(),
        JsonElement element => JsonNode.Parse(element.GetRawText()),
        _ => JsonSerializer.SerializeToNode(value, value.GetType(), Manifests.JsonOptions),
    };
}
