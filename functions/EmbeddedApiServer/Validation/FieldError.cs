using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;

namespace ServerlessCapi.EmbeddedApiServer.Validation;

/// <summary>The kinds of field error kube-apiserver reports, each with its Status cause reason.</summary>
public enum FieldErrorType
{
    Required,
    Invalid,
    TypeInvalid,
    NotSupported,
    TooLong,
    TooMany,
    Duplicate,
    Forbidden,
}

/// <summary>One field-level validation failure, worded as kube-apiserver words it
/// (<c>spec.clusterName: Required value</c>, <c>spec.x: Invalid value: "a": detail</c>).</summary>
public sealed record FieldError(FieldErrorType Type, string Field, string Detail = "", JsonNode? Value = null)
{
    /// <summary>An Invalid error that names no value (<c>spec: Invalid value: detail</c>), as kube-apiserver words rule
    /// failures on objects and lists and rules that report on another field.</summary>
    public bool OmitValue { get; init; }

    public static FieldError InvalidWithoutValue(string field, string detail) => new(FieldErrorType.Invalid, field, detail) { OmitValue = true };

    public static FieldError Required(string field, string detail = "") => new(FieldErrorType.Required, field, detail);
    public static FieldError Invalid(string field, JsonNode? value, string detail) => new(FieldErrorType.Invalid, field, detail, value);
    public static FieldError Forbidden(string field, string detail) => new(FieldErrorType.Forbidden, field, detail);
    public static FieldError TooLong(string field, string detail) => new(FieldErrorType.TooLong, field, detail);

    public string Reason => Type switch
    {
        FieldErrorType.Required => "FieldValueRequired",
        FieldErrorType.TypeInvalid => "FieldValueTypeInvalid",
        FieldErrorType.NotSupported => "FieldValueNotSupported",
        FieldErrorType.TooLong => "FieldValueTooLong",
        FieldErrorType.TooMany => "FieldValueTooMany",
        FieldErrorType.Duplicate => "FieldValueDuplicate",
        FieldErrorType.Forbidden => "FieldValueForbidden",
        _ => "FieldValueInvalid",
    };

    /// <summary>The message without the field path (what a Status cause carries).</summary>
    public string Message => Type switch
    {
        FieldErrorType.Required => WithDetail("Required value"),
        FieldErrorType.Forbidden => WithDetail("Forbidden"),
        FieldErrorType.TooLong => WithDetail("Too long"),
        FieldErrorType.TooMany => WithDetail("Too many"),
        FieldErrorType.Duplicate => $"Duplicate value: {Show(Value)}",
        FieldErrorType.NotSupported => WithDetail($"Unsupported value: {Show(Value)}"),
        _ when OmitValue => WithDetail("Invalid value"),
        _ => WithDetail($"Invalid value: {Show(Value)}"),
    };

    public override string ToString() => Field.Length == 0 ? Message : $"{Field}: {Message}";

    private string WithDetail(string head) => Detail.Length == 0 ? head : $"{head}: {Detail}";

    /// <summary>Strings quoted, numbers and booleans bare, anything else as compact JSON escaped as Go's encoder
    /// escapes it (only <c>&lt;</c>, <c>&gt;</c> and <c>&amp;</c>, in lower-case hex), since the text is Go's.</summary>
    public static string Show(JsonNode? value) => value switch
    {
        null => "null",
        JsonValue v when v.GetValueKind() == JsonValueKind.String => JsonSerializer.Serialize(v.GetValue<string>()),
        _ => value.ToJsonString(GoLike).Replace("<", "\\u003c", StringComparison.Ordinal)
            .Replace(">", "\\u003e", StringComparison.Ordinal).Replace("&", "\\u0026", StringComparison.Ordinal),
    };

    private static readonly JsonSerializerOptions GoLike = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The 422 Invalid answer for a list of errors: one error inline, several in brackets.</summary>
    public static ApiException ToException(string group, string kind, string name, IReadOnlyList<FieldError> errors)
    {
        var text = errors.Count == 1 ? errors[0].ToString() : $"[{string.Join(", ", errors.Select(e => e.ToString()))}]";
        return ApiException.Invalid(group, kind, name, text,
            errors.Select(e => new StatusCause(e.Reason, e.Message, e.Field)).ToArray());
    }
}
