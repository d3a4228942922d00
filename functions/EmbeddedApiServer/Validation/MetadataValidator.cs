using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ServerlessCapi.EmbeddedApiServer.Validation;

/// <summary>The object-metadata rules kube-apiserver applies to every kind: label and annotation syntax, the
/// annotation size limit, owner references, finalizer names, and immutable identity on update.</summary>
public static partial class MetadataValidator
{
    public const int AnnotationsMaxBytes = 256 * 1024;

    private const string NameRule = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
    private const string PrefixRule = "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
    private const string LabelValueRule = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

    public static List<FieldError> Validate(JsonObject meta)
    {
        var errors = new List<FieldError>();
        if (meta["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                QualifiedName(key, "metadata.labels", errors);
                var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
                if (text.Length > 63) errors.Add(FieldError.Invalid("metadata.labels", text, "must be no more than 63 bytes"));
                else if (!LabelValue().IsMatch(text)) errors.Add(FieldError.Invalid("metadata.labels", text, LabelValueRule));
            }
        }
        if (meta["annotations"] is JsonObject annotations)
        {
            long total = 0;
            foreach (var (key, value) in annotations)
            {
                QualifiedName(key.ToLowerInvariant(), "metadata.annotations", errors);
                total += Encoding.UTF8.GetByteCount(key);
                if (value is JsonValue v && v.TryGetValue<string>(out var s)) total += Encoding.UTF8.GetByteCount(s);
            }
            if (total > AnnotationsMaxBytes)
                errors.Add(FieldError.TooLong("metadata.annotations", $"may not be more than {AnnotationsMaxBytes} bytes"));
        }
        if (meta["ownerReferences"] is JsonArray owners) OwnerReferences(owners, errors);
        if (meta["finalizers"] is JsonArray finalizers)
        {
            foreach (var f in finalizers)
                QualifiedName(f is JsonValue v && v.TryGetValue<string>(out var s) ? s : "", "metadata.finalizers", errors);
        }
        return errors;
    }

    /// <summary>metadata.uid is fixed at create; name and namespace come from the URL and are checked there.</summary>
    public static List<FieldError> ValidateUpdate(string? requestedUid, JsonObject oldMeta)
    {
        var errors = new List<FieldError>();
        if (requestedUid is { Length: > 0 } uid && uid != Text(oldMeta, "uid"))
            errors.Add(FieldError.Invalid("metadata.uid", uid, "field is immutable"));
        return errors;
    }

    private static void OwnerReferences(JsonArray owners, List<FieldError> errors)
    {
        var controllers = new List<string>();
        foreach (var owner in owners.OfType<JsonObject>())
        {
            if (Text(owner, "apiVersion") is not { Length: > 0 })
                errors.Add(FieldError.Invalid("metadata.ownerReferences.apiVersion", "", "version must not be empty"));
            if (Text(owner, "kind") is not { Length: > 0 })
                errors.Add(FieldError.Invalid("metadata.ownerReferences.kind", "", "must not be empty"));
            if (Text(owner, "name") is not { Length: > 0 })
                errors.Add(FieldError.Invalid("metadata.ownerReferences.name", "", "must not be empty"));
            if (Text(owner, "uid") is not { Length: > 0 })
                errors.Add(FieldError.Invalid("metadata.ownerReferences.uid", "", "must not be empty"));
            if (owner["controller"] is JsonValue c && c.TryGetValue<bool>(out var isController) && isController)
                controllers.Add($"{Text(owner, "kind")}/{Text(owner, "name")}");
        }
        // One error for each controller after the first, naming the first.
        foreach (var extra in controllers.Skip(1))
        {
            errors.Add(FieldError.Invalid("metadata.ownerReferences", owners.DeepClone(),
                $"Only one reference can have Controller set to true. Found \"true\" in references for {controllers[0]} and {extra}"));
        }
    }

    /// <summary>A qualified name: an optional DNS-subdomain prefix and "/", then a name of at most 63 characters.</summary>
    private static void QualifiedName(string value, string field, List<FieldError> errors)
    {
        var parts = value.Split('/');
        string name;
        if (parts.Length == 1) name = parts[0];
        else if (parts.Length == 2)
        {
            var prefix = parts[0];
            name = parts[1];
            if (prefix.Length == 0) errors.Add(FieldError.Invalid(field, value, "prefix part must be non-empty"));
            else if (prefix.Length > 253) errors.Add(FieldError.Invalid(field, value, "prefix part must be no more than 253 bytes"));
            else if (!DnsSubdomain().IsMatch(prefix)) errors.Add(FieldError.Invalid(field, value, PrefixRule));
        }
        else
        {
            errors.Add(FieldError.Invalid(field, value, "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"));
            return;
        }
        if (name.Length == 0) errors.Add(FieldError.Invalid(field, value, "name part must be non-empty"));
        else if (name.Length > 63) errors.Add(FieldError.Invalid(field, value, "name part must be no more than 63 bytes"));
        else if (!NamePart().IsMatch(name)) errors.Add(FieldError.Invalid(field, value, NameRule));
    }

    private static string? Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex NamePart();

    [GeneratedRegex("^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$")]
    private static partial Regex LabelValue();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();
}
