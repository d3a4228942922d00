using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>Where a webhook is reached: a URL, or a Service that <see cref="WebhookOptions.ResolveService"/> maps to one.</summary>
public sealed record WebhookService(string Namespace, string Name, int Port, string? Path)
{
    /// <summary>The host name the webhook's serving certificate must carry, as in Kubernetes.</summary>
    public string HostName => $"{Name}.{Namespace}.svc";
}

/// <summary>One rule of a webhook: operations on resources of groups and versions in a scope.</summary>
public sealed record WebhookRule(
    IReadOnlyList<string> Operations, IReadOnlyList<string> ApiGroups, IReadOnlyList<string> ApiVersions,
    IReadOnlyList<string> Resources, string Scope);

/// <summary>One webhook of a Mutating- or ValidatingWebhookConfiguration, with the API's defaults applied.</summary>
public sealed record Webhook
{
    public required string ConfigurationName { get; init; }
    public required string Name { get; init; }
    public required bool Mutating { get; init; }
    public string? Url { get; init; }
    public WebhookService? Service { get; init; }

    /// <summary>PEM certificates trusted for this webhook's TLS (null: the system's roots).</summary>
    public string? CaBundlePem { get; init; }

    public required IReadOnlyList<WebhookRule> Rules { get; init; }
    public bool ExactMatch { get; init; }
    public JsonObject? NamespaceSelector { get; init; }
    public JsonObject? ObjectSelector { get; init; }
    public bool IgnoreFailures { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);
    public string SideEffects { get; init; } = "None";
    public bool ReinvokeIfNeeded { get; init; }

    /// <summary>Whether the webhook may be called for a dry-run request (sideEffects None or NoneOnDryRun).</summary>
    public bool SupportsDryRun => SideEffects is "None" or "NoneOnDryRun";

    /// <summary>The webhooks of a stored configuration, in their order.</summary>
    public static IReadOnlyList<Webhook> Parse(JsonObject configuration, bool mutating)
    {
        var configName = configuration["metadata"]?["name"]?.GetValue<string>() ?? "";
        if (configuration["webhooks"] is not JsonArray hooks) return [];
        var result = new List<Webhook>(hooks.Count);
        foreach (var h in hooks.OfType<JsonObject>())
        {
            var client = h["clientConfig"] as JsonObject ?? [];
            var service = client["service"] is JsonObject s
                ? new WebhookService(Str(s, "namespace") ?? "", Str(s, "name") ?? "", s["port"]?.GetValue<int>() ?? 443, Str(s, "path"))
                : null;
            var ca = Str(client, "caBundle") is { Length: > 0 } b64 ? DecodeBundle(b64) : null;
            result.Add(new Webhook
            {
                ConfigurationName = configName,
                Name = Str(h, "name") ?? "",
                Mutating = mutating,
                Url = Str(client, "url"),
                Service = service,
                CaBundlePem = ca,
                Rules = (h["rules"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new WebhookRule(
                    Strings(r, "operations"), Strings(r, "apiGroups"), Strings(r, "apiVersions"), Strings(r, "resources"),
                    Str(r, "scope") ?? "*")).ToList(),
                ExactMatch = Str(h, "matchPolicy") == "Exact",
                NamespaceSelector = h["namespaceSelector"] as JsonObject,
                ObjectSelector = h["objectSelector"] as JsonObject,
                IgnoreFailures = Str(h, "failurePolicy") == "Ignore",
                Timeout = TimeSpan.FromSeconds(h["timeoutSeconds"]?.GetValue<int>() ?? 10),
                SideEffects = Str(h, "sideEffects") ?? "Unknown",
                ReinvokeIfNeeded = mutating && Str(h, "reinvocationPolicy") == "IfNeeded",
            });
        }
        return result;
    }

    private static string? DecodeBundle(string base64)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(base64));
        }
        catch (FormatException)
        {
            return "";
        }
    }

    internal static string? Str(JsonObject o, string key) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    internal static IReadOnlyList<string> Strings(JsonObject o, string key) =>
        o[key] is JsonArray a ? a.Select(x => x is JsonValue v && v.TryGetValue<string>(out var s) ? s : "").ToList() : [];
}
