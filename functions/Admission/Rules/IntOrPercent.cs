using System.Globalization;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>intstr.GetScaledValueFromIntOrPercent's validation: an integer, or a string that is an integer followed by <c>%</c>.</summary>
public static class IntOrPercent
{
    /// <summary>Null when valid, else the error apimachinery reports.</summary>
    public static string? Error(IntOrString value)
    {
        if (value.IsInt)
            return null;
        var s = value.StringValue!;
        if (!s.EndsWith('%'))
            return "invalid value for IntOrString: invalid type: string is not a percentage";
        if (!int.TryParse(s.AsSpan(0, s.Length - 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            return $"invalid value for IntOrString: invalid value \"{s}\": strconv.Atoi: parsing \"{s[..^1]}\": invalid syntax";
        return null;
    }

    /// <summary><c>must be either an int or a percentage: …</c> at <paramref name="path"/>, or nothing.</summary>
    public static IEnumerable<FieldError> Validate(FieldPath path, IntOrString? value)
    {
        if (value is not null && Error(value) is { } error)
            yield return FieldError.Invalid(path, value.ToString(), $"must be either an int or a percentage: {error}");
    }
}
