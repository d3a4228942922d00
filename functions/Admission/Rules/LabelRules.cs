using System.Text.Json;
using System.Text.RegularExpressions;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>Label keys, label values and selectors, checked with apimachinery's messages.</summary>
public static partial class LabelRules
{
    private const string ValueFormat =
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    private const string NameFormat =
        "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

    private const string PrefixFormat =
        "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    /// <summary>validation.IsValidLabelValue: the reasons a label value is not valid (none when it is).</summary>
    public static IEnumerable<string> LabelValueErrors(string value)
    {
        if (value.Length > 63)
            yield return "must be no more than 63 characters";
        if (!LabelValue().IsMatch(value))
            yield return ValueFormat;
    }

    /// <summary>validation.IsQualifiedName: the reasons a label key is not valid.</summary>
    public static IEnumerable<string> QualifiedNameErrors(string key)
    {
        var parts = key.Split('/');
        string name;
        switch (parts.Length)
        {
            case 1:
                name = parts[0];
                break;
            case 2:
                name = parts[1];
                if (parts[0].Length == 0)
                    yield return "prefix part must be non-empty";
                else if (parts[0].Length > 253 || !Subdomain().IsMatch(parts[0]))
                    yield return PrefixFormat;
                break;
            default:
                yield return "a qualified name " + NameFormat[10..] + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
                yield break;
        }
        if (name.Length == 0)
            yield return "name part must be non-empty";
        else if (name.Length > 63)
            yield return "name part must be no more than 63 characters";
        if (name.Length > 0 && !QualifiedName().IsMatch(name))
            yield return NameFormat;
    }

    /// <summary>metav1validation.ValidateLabels over <paramref name="labels"/> at <paramref name="path"/>.</summary>
    public static IEnumerable<FieldError> ValidateLabels(IReadOnlyDictionary<string, string>? labels, FieldPath path)
    {
        foreach (var (key, value) in labels ?? new Dictionary<string, string>())
        {
            foreach (var error in QualifiedNameErrors(key))
                yield return FieldError.Invalid(path, key, error);
            foreach (var error in LabelValueErrors(value))
                yield return FieldError.Invalid(path.Key(key), value, error);
        }
    }

    /// <summary>Annotation keys must be qualified names.</summary>
    public static IEnumerable<FieldError> ValidateAnnotations(IReadOnlyDictionary<string, string>? annotations, FieldPath path)
    {
        foreach (var key in (annotations ?? new Dictionary<string, string>()).Keys)
        {
            foreach (var error in QualifiedNameErrors(key.ToLowerInvariant()))
                yield return FieldError.Invalid(path, key, error);
        }
    }

    /// <summary>CAPI's ObjectMeta.Validate for the metadata of a template.</summary>
    public static IEnumerable<FieldError> ValidateTemplateMetadata(ObjectMeta? metadata, FieldPath path) =>
        ValidateLabels(metadata?.Labels, path.Child("labels")).Concat(ValidateAnnotations(metadata?.Annotations, path.Child("annotations")));

    /// <summary>Why metav1.LabelSelectorAsSelector would fail, or null when the selector converts.</summary>
    public static string? SelectorError(LabelSelector selector)
    {
        foreach (var (key, value) in selector.MatchLabels ?? [])
        {
            if (QualifiedNameErrors(key).FirstOrDefault() is { } keyError)
                return $"key: Invalid value: {Quote(key)}: {keyError}";
            if (LabelValueErrors(value).FirstOrDefault() is { } valueError)
                return $"values[0][{key}]: Invalid value: {Quote(value)}: {valueError}";
        }
        foreach (var r in selector.MatchExpressions ?? [])
        {
            var count = r.Values?.Count ?? 0;
            switch (r.Operator)
            {
                case LabelSelectorRequirement.In or LabelSelectorRequirement.NotIn when count == 0:
                    return "values: Invalid value: []string(nil): for 'in', 'notin' operators, values set can't be empty";
                case LabelSelectorRequirement.Exists or LabelSelectorRequirement.DoesNotExist when count > 0:
                    return $"values: Invalid value: {JsonSerializer.Serialize(r.Values)}: values set must be empty for exists and does not exist";
                case LabelSelectorRequirement.In or LabelSelectorRequirement.NotIn or LabelSelectorRequirement.Exists or LabelSelectorRequirement.DoesNotExist:
                    break;
                default:
                    return $"{Quote(r.Operator)} is not a valid label selector operator";
            }
            if (QualifiedNameErrors(r.Key).FirstOrDefault() is { } keyError)
                return $"key: Invalid value: {Quote(r.Key)}: {keyError}";
        }
        return null;
    }

    /// <summary>labels.Selector.String(): requirements sorted by key, values sorted.</summary>
    public static string SelectorString(LabelSelector selector)
    {
        var terms = new List<(string Key, string Text)>();
        foreach (var (key, value) in selector.MatchLabels ?? [])
            terms.Add((key, $"{key}={value}"));
        foreach (var r in selector.MatchExpressions ?? [])
        {
            var values = string.Join(",", (r.Values ?? []).Order(StringComparer.Ordinal));
            terms.Add((r.Key, r.Operator switch
            {
                LabelSelectorRequirement.In => $"{r.Key} in ({values})",
                LabelSelectorRequirement.NotIn => $"{r.Key} notin ({values})",
                LabelSelectorRequirement.Exists => r.Key,
                _ => "!" + r.Key,
            }));
        }
        return string.Join(",", terms.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => t.Text));
    }

    /// <summary>A string quoted as Go's <c>%q</c> prints it.</summary>
    public static string Quote(string value) => JsonSerializer.Serialize(value, Rendering.Options);

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
