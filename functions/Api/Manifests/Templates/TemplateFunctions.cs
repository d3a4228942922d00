using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Api.Templates;

/// <summary>What each substitution operator does to a variable's value, as clusterctl's substitution library
/// defines them (defaults apply to an empty value as well as a missing one, because a lookup cannot tell them apart).</summary>
internal static class TemplateFunctions
{
    public static string Apply(string op, string value, IReadOnlyList<string> args) => op switch
    {
        "," => value.Length == 0 ? value : char.ToLowerInvariant(value[0]) + value[1..],
        ",," => value.ToLowerInvariant(),
        "^" => value.Length == 0 ? value : char.ToUpperInvariant(value[0]) + value[1..],
        "^^" => value.ToUpperInvariant(),
        "#" when args.Count == 0 => Encoding.UTF8.GetByteCount(value).ToString(CultureInfo.InvariantCulture),
        "#" => TrimPrefix(value, args[0], longest: false),
        "##" => TrimPrefix(value, args[0], longest: true),
        "%" => Reverse(TrimPrefix(Reverse(value), Reverse(args[0]), longest: false)),
        "%%" => Reverse(TrimPrefix(Reverse(value), Reverse(args[0]), longest: true)),
        ":" => Substring(value, args),
        "/" => args.Count == 0 ? value : Replace(value, args[0], args.Count > 1 ? args[1] : "", all: false),
        "//" => args.Count == 0 ? value : Replace(value, args[0], args.Count > 1 ? args[1] : "", all: true),
        "/#" => args.Count == 2 && value.StartsWith(args[0], StringComparison.Ordinal) ? args[1] + value[args[0].Length..] : value,
        "/%" => args.Count == 2 && value.EndsWith(args[0], StringComparison.Ordinal) ? value[..^args[0].Length] + args[1] : value,
        // Every default form, and any operator the library does not know, falls back to "value, else the operands".
        _ => value.Length == 0 && args.Count > 0 ? string.Concat(args) : value,
    };

    private static string Substring(string value, IReadOnlyList<string> args)
    {
        // Like bash, an offset or length that is not a number leaves the value as it is.
        if (args.Count == 0 || !int.TryParse(args[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var pos))
            return value;
        if (pos < 0) pos = Math.Max(0, value.Length + pos);
        if (args.Count == 1) return pos < value.Length ? value[pos..] : "";
        if (!int.TryParse(args[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var length))
            return value;
        if (pos + length >= value.Length) return pos < value.Length ? value[pos..] : "";
        return length < 0 ? value : value.Substring(pos, length);
    }

    private static string Replace(string value, string pattern, string replacement, bool all)
    {
        if (pattern.Length == 0)
        {
            // An empty pattern matches before every character (and at the end), as Go's strings.Replace does.
            if (!all) return replacement + value;
            var sb = new StringBuilder(replacement);
            foreach (var c in value) sb.Append(c).Append(replacement);
            return sb.ToString();
        }
        if (all) return value.Replace(pattern, replacement, StringComparison.Ordinal);
        var at = value.IndexOf(pattern, StringComparison.Ordinal);
        return at < 0 ? value : value[..at] + replacement + value[(at + pattern.Length)..];
    }

    /// <summary>Removes the shortest or longest non-empty prefix matching a glob pattern (path.Match rules);
    /// a malformed pattern leaves the value as it is.</summary>
    private static string TrimPrefix(string value, string pattern, bool longest)
    {
        if (Glob(pattern) is not { } regex) return value;
        string? match = null;
        for (var len = value.Length; len > 0; len--)
        {
            if (!regex.IsMatch(value[..len])) continue;
            match = value[..len];
            if (longest) break;
        }
        return match is null ? value : value[match.Length..];
    }

    /// <summary>A glob as a whole-string regex: <c>*</c> and <c>?</c> never match <c>/</c>, <c>[…]</c> and
    /// <c>[^…]</c> are classes, <c>\</c> quotes the next character.</summary>
    private static Regex? Glob(string pattern)
    {
        var sb = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '\\':
                    if (++i >= pattern.Length) return null;
                    sb.Append(Regex.Escape(pattern[i].ToString()));
                    break;
                case '[':
                    var end = pattern.IndexOf(']', i + 1);
                    if (end < 0 || end == i + 1) return null;
                    var body = pattern[(i + 1)..end];
                    var negate = body.StartsWith('^');
                    if (negate) body = body[1..];
                    if (body.Length == 0) return null;
                    sb.Append(negate ? "[^" : "[").Append(body.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("[", "\\[", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                default: sb.Append(Regex.Escape(c.ToString())); break;
            }
        }
        try
        {
            return new Regex(sb.Append('$').ToString(), RegexOptions.CultureInvariant | RegexOptions.Singleline, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static string Reverse(string s)
    {
        var chars = s.ToCharArray();
        Array.Reverse(chars);
        return new string(chars);
    }
}
