using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>A webhook chosen for a request, with the version of the resource it is sent (matchPolicy Equivalent may pick another served version).</summary>
public sealed record MatchedWebhook(Webhook Hook, string Version);

/// <summary>Which webhooks a request reaches: rules with matchPolicy, then namespace and object selectors.</summary>
public static class WebhookMatcher
{
    /// <summary>Whether any rule of the webhook names this resource and subresource at all (any operation or version).</summary>
    public static bool Touches(Webhook w, Model.ResourceType type, string? subresource) =>
        w.Rules.Any(r => AnyOf(r.ApiGroups, type.Group) && Resource(r.Resources, type.Plural, subresource ?? ""));

    /// <summary>The version the webhook is called with, or null when its rules do not match.</summary>
    public static string? MatchVersion(Webhook w, AdmissionAttributes a)
    {
        if (w.Rules.Any(r => RuleMatches(r, a, a.Version))) return a.Version;
        if (w.ExactMatch) return null;
        // Equivalent: the same resource in another served version is the same request (served without conversion here).
        return a.Type.Versions.FirstOrDefault(v => v != a.Version && w.Rules.Any(r => RuleMatches(r, a, v)));
    }

    /// <summary>Whether the selectors admit the request: the namespace's labels (the namespace's own for a Namespace)
    /// and the labels of the new or the old object.</summary>
    public static bool SelectorsMatch(Webhook w, AdmissionAttributes a, JsonObject? obj, JsonObject? old,
        Func<string, IReadOnlyDictionary<string, string>?> namespaceLabels)
    {
        if (!IsEmpty(w.NamespaceSelector))
        {
            IReadOnlyDictionary<string, string>? labels = null;
            if (a.Type.Group.Length == 0 && a.Type.Plural == "namespaces") labels = Labels(obj ?? old);
            else if (a.Type.Namespaced && a.Namespace is { } ns) labels = namespaceLabels(ns) ?? new Dictionary<string, string>();
            if (labels is not null && !Selects(w.NamespaceSelector!, labels)) return false;
        }
        if (IsEmpty(w.ObjectSelector)) return true;
        return (obj is not null && Selects(w.ObjectSelector!, Labels(obj))) || (old is not null && Selects(w.ObjectSelector!, Labels(old)));
    }

    /// <summary>A metav1 LabelSelector (matchLabels and matchExpressions) against a label set.</summary>
    public static bool Selects(JsonObject selector, IReadOnlyDictionary<string, string> labels)
    {
        if (selector["matchLabels"] is JsonObject matchLabels)
        {
            foreach (var (key, value) in matchLabels)
            {
                if (!labels.TryGetValue(key, out var actual) || actual != value?.GetValue<string>()) return false;
            }
        }
        foreach (var e in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = Webhook.Str(e, "key") ?? "";
            var values = Webhook.Strings(e, "values");
            var has = labels.TryGetValue(key, out var actual);
            var ok = Webhook.Str(e, "operator") switch
            {
                "In" => has && values.Contains(actual!),
                "NotIn" => !has || !values.Contains(actual!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok) return false;
        }
        return true;
    }

    public static IReadOnlyDictionary<string, string> Labels(JsonObject? obj) =>
        obj?["metadata"]?["labels"] is JsonObject l
            ? l.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.ToString(), StringComparer.Ordinal)
            : new Dictionary<string, string>();

    private static bool IsEmpty(JsonObject? selector) =>
        selector is null || ((selector["matchLabels"] as JsonObject)?.Count ?? 0) + ((selector["matchExpressions"] as JsonArray)?.Count ?? 0) == 0;

    private static bool RuleMatches(WebhookRule r, AdmissionAttributes a, string version) =>
        AnyOf(r.Operations, a.Operation) && AnyOf(r.ApiGroups, a.Type.Group) && AnyOf(r.ApiVersions, version)
        && ScopeMatches(r.Scope, a) && Resource(r.Resources, a.Type.Plural, a.Subresource ?? "");

    private static bool ScopeMatches(string scope, AdmissionAttributes a) => scope switch
    {
        "Cluster" => !a.Type.Namespaced,
        "Namespaced" => a.Type.Namespaced,
        _ => true,
    };

    private static bool AnyOf(IReadOnlyList<string> allowed, string value) => allowed.Contains("*") || allowed.Contains(value);

    /// <summary>"res" is the resource itself, "res/sub" a subresource; "*" stands for any resource, "*/*" for any resource and subresource.</summary>
    private static bool Resource(IReadOnlyList<string> resources, string plural, string subresource)
    {
        foreach (var entry in resources)
        {
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            var res = slash < 0 ? entry : entry[..slash];
            var sub = slash < 0 ? "" : entry[(slash + 1)..];
            if ((res == "*" || res == plural) && (sub == "*" || sub == subresource)) return true;
        }
        return false;
    }
}
