using System.Text.RegularExpressions;

namespace ServerlessCapi.EmbeddedApiServer.Discovery;

/// <summary>Kubernetes version priority: GA before beta before alpha, higher numbers first, others last by name.</summary>
public static partial class VersionPriority
{
    public static IReadOnlyList<string> Sort(IEnumerable<string> versions) =>
        versions.OrderByDescending(Rank).ThenBy(v => v, StringComparer.Ordinal).ToList();

    private static (int Stability, int Major, int Minor) Rank(string v)
    {
        var m = KubeVersion().Match(v);
        if (!m.Success) return (0, 0, 0);
        var major = int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        var minor = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, System.Globalization.CultureInfo.InvariantCulture) : 0;
        var stability = m.Groups[2].Value switch { "" => 3, "beta" => 2, _ => 1 };
        return (stability, major, minor);
    }

    [GeneratedRegex("^v(\\d+)(?:(alpha|beta)(\\d+))?$")]
    private static partial Regex KubeVersion();
}
