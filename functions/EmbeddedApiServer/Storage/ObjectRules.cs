using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Validation;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>Metadata rules every write follows: names, timestamps, generation, and no-op detection.</summary>
public static partial class ObjectRules
{
    private const string NameAlphabet = "bcdfghjklmnpqrstvwxz2456789";

    public static string Now() => DateTime.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Meta(JsonObject obj) =>
        obj["metadata"] as JsonObject ?? (JsonObject)(obj["metadata"] = new JsonObject());

    public static string? Text(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Appends five random characters to generateName, as the API server does.</summary>
    public static string Generate(string prefix)
    {
        Span<char> suffix = stackalloc char[5];
        for (var i = 0; i < suffix.Length; i++) suffix[i] = NameAlphabet[RandomNumberGenerator.GetInt32(NameAlphabet.Length)];
        return prefix + new string(suffix);
    }

    public static void ValidateName(ResourceType type, string name)
    {
        var label = type.Behavior == KindBehavior.Namespace;
        var max = label ? 63 : 253;
        // Worded as kube-apiserver words each case: length first, then dots in namespace names, then the syntax.
        var detail = name.Length > max ? $"must be no more than {max} characters"
            : label && name.Contains('.', StringComparison.Ordinal) ? "must not contain dots"
            : label ? (DnsLabel().IsMatch(name) ? null : DnsLabelRule)
            : DnsSubdomain().IsMatch(name) ? null : DnsSubdomainRule;
        if (detail is null) return;
        throw FieldError.ToException(type.Group, type.Kind, name, [FieldError.Invalid("metadata.name", name, detail)]);
    }

    private const string DnsLabelRule = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
    private const string DnsSubdomainRule = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

    /// <summary>True when anything outside metadata (and outside status when status is a subresource) differs:
    /// the rule for bumping metadata.generation on custom resources.</summary>
    public static bool SpecChanged(JsonObject before, JsonObject after, bool statusIsSubresource)
    {
        bool Counts(string key) => key is not ("metadata" or "apiVersion" or "kind") && !(statusIsSubresource && key == "status");
        foreach (var (key, value) in after)
        {
            if (!Counts(key)) continue;
            if (!before.TryGetPropertyValue(key, out var old) || !JsonNode.DeepEquals(old, value)) return true;
        }
        foreach (var (key, _) in before)
        {
            if (Counts(key) && !after.ContainsKey(key)) return true;
        }
        return false;
    }

    /// <summary>True when two versions of an object are the same apart from resourceVersion: such an
    /// update is not written, so watchers see no event and the version does not move.</summary>
    public static bool SameContent(JsonObject before, JsonObject after)
    {
        var a = (JsonObject)before.DeepClone();
        var b = (JsonObject)after.DeepClone();
        Meta(a).Remove("resourceVersion");
        Meta(b).Remove("resourceVersion");
        return JsonNode.DeepEquals(a, b);
    }

    /// <summary>Puts kind, apiVersion and metadata first, as the API server serialises objects.</summary>
    public static void Order(JsonObject obj, ResourceType type)
    {
        if (obj["kind"] is null) obj["kind"] = type.Kind;
        if (obj["apiVersion"] is null) obj["apiVersion"] = type.GroupVersion(type.StorageVersion);
        var props = obj.ToList();
        obj.Clear();
        foreach (var key in new[] { "kind", "apiVersion", "metadata" })
        {
            var p = props.FirstOrDefault(p => p.Key == key);
            if (p.Key is not null) obj[key] = p.Value;
        }
        foreach (var p in props.Where(p => p.Key is not ("kind" or "apiVersion" or "metadata"))) obj[p.Key] = p.Value;
    }

    public static long Generation(JsonObject obj) =>
        Meta(obj)["generation"] is JsonValue v && v.TryGetValue<long>(out var g) ? g : 0;

    public static List<string> Finalizers(JsonObject obj) =>
        Meta(obj)["finalizers"] is JsonArray a ? a.Select(x => x?.GetValue<string>() ?? "").ToList() : [];

    public static void SetFinalizers(JsonObject obj, IReadOnlyCollection<string> finalizers)
    {
        if (finalizers.Count == 0) Meta(obj).Remove("finalizers");
        else Meta(obj)["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex DnsSubdomain();

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
