using System.Globalization;
using System.Text;

namespace ServerlessCapi.Reconcilers.Topology.Patches.GoTemplates;

/// <summary>The part of Go's fmt that templates reach through printf and quote: %v %s %d %f %t %q %% and widths are
/// not supported beyond these; a float with an integral value prints under %d as the integer (Go would print
/// <c>%!d(float64=3)</c>, which no template wants).</summary>
internal static class GoFormat
{
    public static string Sprintf(string format, List<object?> args)
    {
        var sb = new StringBuilder();
        var next = 0;
        for (var i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }
            var verb = format[++i];
            if (verb == '%')
            {
                sb.Append('%');
                continue;
            }
            if (next >= args.Count)
            {
                sb.Append("%!").Append(verb).Append("(MISSING)");
                continue;
            }
            var arg = args[next++];
            sb.Append(verb switch
            {
                'v' or 's' => TemplateValues.Print(arg),
                'd' when TemplateValues.AsNumber(arg) is { } n => ((long)n).ToString(CultureInfo.InvariantCulture),
                'f' when TemplateValues.AsNumber(arg) is { } n => n.ToString("F6", CultureInfo.InvariantCulture),
                't' when arg is bool b => b ? "true" : "false",
                'q' => Quote(TemplateValues.Print(arg)),
                _ => $"%!{verb}({TemplateValues.GoType(arg)}={TemplateValues.Print(arg)})",
            });
        }
        if (next < args.Count)
            sb.Append("%!(EXTRA ").Append(string.Join(", ", args.Skip(next).Select(a => $"{TemplateValues.GoType(a)}={TemplateValues.Print(a)}"))).Append(')');
        return sb.ToString();
    }

    /// <summary>Go's strconv.Quote for the characters templates meet.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                < ' ' => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }
        return sb.Append('"').ToString();
    }
}
