using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace ServerlessCapi.EmbeddedApiServer.Validation;

/// <summary>The string formats kube-apiserver checks in CRD schemas. Formats it does not know pass, as there.</summary>
public static partial class Formats
{
    public static bool IsValid(string format, string value) => format switch
    {
        "date-time" or "datetime" => DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _)
            && DateTimeShape().IsMatch(value),
        "date" => DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
        "uri" => Uri.TryCreate(value, UriKind.Absolute, out _),
        "hostname" => value.Length <= 255 && Hostname().IsMatch(value),
        "ipv4" => IPAddress.TryParse(value, out var v4) && v4.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && value.Count(c => c == '.') == 3,
        "ipv6" => IPAddress.TryParse(value, out var v6) && v6.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6,
        "cidr" => IsCidr(value),
        "uuid" => Guid.TryParseExact(value, "D", out _),
        "email" => Email().IsMatch(value),
        "byte" => IsBase64(value),
        "duration" => Duration().IsMatch(value),
        "int32" or "int64" or "float" or "double" or "password" or "" => true,
        _ => true,
    };

    private static bool IsCidr(string value)
    {
        var slash = value.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(value[..slash], out var ip)) return false;
        var max = ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
        return int.TryParse(value[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var bits) && bits <= max;
    }

    private static bool IsBase64(string s)
    {
        Span<byte> buffer = new byte[(s.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(s, buffer, out _);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")]
    private static partial Regex DateTimeShape();

    [GeneratedRegex(@"^[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\.?$")]
    private static partial Regex Hostname();

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+$")]
    private static partial Regex Email();

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h|d|w))+$")]
    private static partial Regex Duration();
}
