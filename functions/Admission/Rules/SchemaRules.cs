using System.Globalization;
using System.Text.Json;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>Rules CAPI declares on its CRD schemas (required, enum, minimum, pattern), worded as the API server words
/// them. The webhooks check the ones their kinds depend on too, so the same input is refused whether or not the API
/// server in front has CAPI's schemas; behind one that has them these never fire, as it refuses first.</summary>
public static class SchemaRules
{
    public static IEnumerable<FieldError> RequiredText(FieldPath path, string? value)
    {
        if (string.IsNullOrEmpty(value))
            yield return FieldError.Required(path);
    }

    public static IEnumerable<FieldError> Enum(FieldPath path, string? value, params string[] allowed)
    {
        if (!string.IsNullOrEmpty(value) && !allowed.Contains(value, StringComparer.Ordinal))
            yield return FieldError.NotSupported(path, value, allowed);
    }

    public static IEnumerable<FieldError> Minimum(FieldPath path, long? value, long minimum)
    {
        if (value is { } v && v < minimum)
            yield return FieldError.Invalid(path, v, $"{path} in body should be greater than or equal to {minimum.ToString(CultureInfo.InvariantCulture)}");
    }

    public static IEnumerable<FieldError> Maximum(FieldPath path, long? value, long maximum)
    {
        if (value is { } v && v > maximum)
            yield return FieldError.Invalid(path, v, $"{path} in body should be less than or equal to {maximum.ToString(CultureInfo.InvariantCulture)}");
    }

    public static IEnumerable<FieldError> Pattern(FieldPath path, string? value, System.Text.RegularExpressions.Regex regex, string pattern)
    {
        if (!string.IsNullOrEmpty(value) && !regex.IsMatch(value))
            yield return FieldError.Invalid(path, value, $"{path} in body should match '{pattern}'");
    }

    /// <summary>A v1beta2 reference (<c>{apiGroup, kind, name}</c>): each part is required.</summary>
    public static IEnumerable<FieldError> Reference(FieldPath path, ContractVersionedObjectReference? reference)
    {
        if (reference is null)
            yield break;
        foreach (var e in RequiredText(path.Child("apiGroup"), reference.ApiGroup))
            yield return e;
        foreach (var e in RequiredText(path.Child("kind"), reference.Kind))
            yield return e;
        foreach (var e in RequiredText(path.Child("name"), reference.Name))
            yield return e;
    }

    /// <summary>Whether a field kept as raw JSON is an object with at least one member.</summary>
    public static bool IsDefined(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.Object } e && e.EnumerateObject().Any();
}
