using System.Globalization;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Admission;

/// <summary>A semantic version, parsed as CAPI's webhooks parse Kubernetes versions (blang/semver).</summary>
public sealed partial record Semver(ulong Major, ulong Minor, ulong Patch, string PreRelease)
{
    /// <summary>Strict <c>MAJOR.MINOR.PATCH[-pre][+build]</c>, no leading <c>v</c>, no leading zeros.</summary>
    public static Semver? Parse(string text)
    {
        var m = Strict().Match(text);
        if (!m.Success)
            return null;
        return new Semver(Number(m.Groups[1].Value), Number(m.Groups[2].Value), Number(m.Groups[3].Value), m.Groups[4].Value);
    }

    /// <summary>As semver.ParseTolerant: spaces and a leading <c>v</c> are ignored and a missing minor or patch is 0.</summary>
    public static Semver? ParseTolerant(string text)
    {
        var s = text.Trim().TrimStart('v');
        var core = s.Split(['-', '+'], 2)[0];
        var rest = s[core.Length..];
        var parts = core.Split('.');
        if (parts.Length is < 1 or > 3 || parts.Any(p => p.Length == 0 || !p.All(char.IsAsciiDigit)))
            return null;
        var padded = string.Join('.', parts.Select(p => p.TrimStart('0') is { Length: > 0 } t ? t : "0").Concat(Enumerable.Repeat("0", 3 - parts.Length)));
        return Parse(padded + rest);
    }

    /// <summary>Compares major, minor and patch only (CAPI's version.WithoutPreReleases).</summary>
    public int CompareCore(Semver other)
    {
        var c = Major.CompareTo(other.Major);
        if (c == 0)
            c = Minor.CompareTo(other.Minor);
        return c == 0 ? Patch.CompareTo(other.Patch) : c;
    }

    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Major}.{Minor}.{Patch}") + (PreRelease.Length > 0 ? "-" + PreRelease : "");

    private static ulong Number(string s) => ulong.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-((?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*)(?:\.(?:0|[1-9][0-9]*|[0-9]*[A-Za-z-][0-9A-Za-z-]*))*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex Strict();
}
