using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Api;

/// <summary>Turns names into valid label values the way CAPI does: a valid value as is, otherwise a
/// stable FNV-1a hash (<c>hash_&lt;base64url&gt;_z</c>).</summary>
public static partial class LabelValues
{
    public static bool IsValid(string value) => value.Length <= 63 && ValidValue().IsMatch(value);

    public static string Format(string value)
    {
        if (IsValid(value))
            return value;
        var hash = 2166136261u;
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            hash ^= b;
            hash *= 16777619u;
        }
        var bytes = new[] { (byte)(hash >> 24), (byte)(hash >> 16), (byte)(hash >> 8), (byte)hash };
        return "hash_" + Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "_z";
    }

    /// <summary>True when <paramref name="labelValue"/> is <paramref name="name"/> or its hashed form.</summary>
    public static bool Matches(string name, string? labelValue) => labelValue == Format(name);

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex ValidValue();
}
