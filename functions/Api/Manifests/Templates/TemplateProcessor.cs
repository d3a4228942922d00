using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Api.Templates;

/// <summary>Variables a template needs that have neither a value nor a default.</summary>
public sealed class MissingTemplateVariablesException(IReadOnlyList<string> missing)
    : Exception($"the template needs values for these variables: [{string.Join(", ", missing)}]; set them as environment variables (or with the matching flags)")
{
    public IReadOnlyList<string> Missing { get; } = missing;
}

/// <summary>clusterctl's simple template processor: finds a template's variables with their defaults and
/// substitutes their values.</summary>
public static partial class TemplateProcessor
{
    /// <summary>Every variable the template uses, sorted by name, with its default as written (a nested
    /// substitution shows as <c>${NAME}</c>); null when it has none, which makes it required.</summary>
    /// <remarks>As in clusterctl, only top-level substitutions count (one nested in another's default is not
    /// listed), the first occurrence of a name decides its default, and an empty default is no default.</remarks>
    public static SortedDictionary<string, string?> VariableMap(string template)
    {
        var map = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var node in TemplateSyntax.Parse(ConvertLegacyVariables(template)))
        {
            if (node is not TemplateSubstitution sub || map.ContainsKey(sub.Param)) continue;
            var sb = new StringBuilder();
            foreach (var arg in sub.Args)
                sb.Append(arg switch
                {
                    TemplateSubstitution nested => "${" + nested.Param + "}",
                    TemplateText text => text.Value,
                    _ => "",
                });
            map[sub.Param] = sb.Length == 0 ? null : sb.ToString();
        }
        return map;
    }

    /// <summary>The template with every substitution replaced. <paramref name="lookup"/> returns null for a
    /// variable that is not set (an empty string is a value).</summary>
    /// <exception cref="MissingTemplateVariablesException">Some variable has no value and no default.</exception>
    /// <exception cref="TemplateSyntaxException">The template does not parse.</exception>
    public static string Process(string template, Func<string, string?> lookup)
    {
        var converted = ConvertLegacyVariables(template);
        var missing = VariableMap(converted).Where(v => v.Value is null && lookup(v.Key) is null).Select(v => v.Key).ToList();
        if (missing.Count > 0) throw new MissingTemplateVariablesException(missing);
        var sb = new StringBuilder(converted.Length);
        foreach (var node in TemplateSyntax.Parse(converted))
            sb.Append(Evaluate(node, lookup));
        return sb.ToString();
    }

    private static string Evaluate(TemplateNode node, Func<string, string?> lookup) => node switch
    {
        TemplateText text => text.Value,
        TemplateSubstitution sub => TemplateFunctions.Apply(sub.Op, lookup(sub.Param) ?? "", sub.Args.Select(a => Evaluate(a, lookup)).ToList()),
        _ => "",
    };

    /// <summary>Older templates wrote <c>${ VAR }</c>; clusterctl still accepts whitespace inside the braces of a
    /// plain variable, so it is removed before parsing.</summary>
    public static string ConvertLegacyVariables(string template) =>
        LegacyVariable().Replace(template, m => Whitespace().Replace(m.Value, ""));

    [GeneratedRegex(@"\$\{[\t\n\f\r ]+[A-Za-z0-9_$]+[\t\n\f\r ]+\}|\$\{[\t\n\f\r ]+[A-Za-z0-9_$]+\}|\$\{[A-Za-z0-9_$]+[\t\n\f\r ]+\}")]
    private static partial Regex LegacyVariable();

    [GeneratedRegex(@"[\t\n\f\r ]")]
    private static partial Regex Whitespace();
}
