using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Patch;
using ServerlessCapi.EmbeddedApiServer.Selectors;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>The cluster's webhooks in call order: mutating and validating, each sorted by configuration name, then webhook order.</summary>
public sealed record WebhookSet(IReadOnlyList<Webhook> Mutating, IReadOnlyList<Webhook> Validating)
{
    public static WebhookSet None { get; } = new([], []);

    /// <summary>Whether any webhook's rules name this resource (otherwise the write skips the admission round trip).</summary>
    public bool Touches(ResourceType type, string? subresource) =>
        !AdmissionTypes.IsConfiguration(type)
        && (Mutating.Any(w => WebhookMatcher.Touches(w, type, subresource)) || Validating.Any(w => WebhookMatcher.Touches(w, type, subresource)));
}

/// <summary>Calls a cluster's admission webhooks for a write, as kube-apiserver does: mutating webhooks in order
/// (reinvoking IfNeeded ones once), the object validation stage, then validating webhooks in parallel.</summary>
public sealed class AdmissionChain(WebhookOptions options, ILogger logger) : IDisposable
{
    private readonly WebhookClient _client = new(options);

    // Parsed per stored version: a changed configuration is a new StoredObject, so edits apply on the next request.
    private readonly ConditionalWeakTable<StoredObject, IReadOnlyList<Webhook>> _parsed = new();

    /// <summary>A chain with the default options and no logging (for settings built without a server).</summary>
    public static AdmissionChain Default { get; } = new(new WebhookOptions(), Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

    public IObjectValidation ObjectValidation => options.ObjectValidation;

    /// <summary>The webhooks registered in a cluster now (read from its store on every request).</summary>
    public WebhookSet Webhooks(Cluster cluster)
    {
        var mutating = Read(cluster, AdmissionTypes.MutatingWebhookConfigurations, true);
        var validating = Read(cluster, AdmissionTypes.ValidatingWebhookConfigurations, false);
        return mutating.Count == 0 && validating.Count == 0 ? WebhookSet.None : new WebhookSet(mutating, validating);
    }

    /// <summary>Runs the mutating webhooks and returns the object they leave (the same instance when none changed it).</summary>
    public async Task<JsonObject?> MutateAsync(Cluster cluster, AdmissionAttributes a, JsonObject? obj, JsonObject? old,
        WebhookSet hooks, Action<string> warn, CancellationToken ct)
    {
        var invoked = new List<Webhook>();
        var reinvoke = new HashSet<Webhook>(ReferenceEqualityComparer.Instance);
        foreach (var w in hooks.Mutating)
        {
            var (next, called) = await MutateOnceAsync(cluster, w, a, obj, old, warn, ct);
            if (!called) continue;
            if (!ReferenceEquals(next, obj))
            {
                // A later change may invalidate what an earlier IfNeeded webhook decided: it runs once more.
                foreach (var earlier in invoked.Where(e => e.ReinvokeIfNeeded)) reinvoke.Add(earlier);
                obj = next;
            }
            invoked.Add(w);
        }
        foreach (var w in hooks.Mutating.Where(reinvoke.Contains))
            obj = (await MutateOnceAsync(cluster, w, a, obj, old, warn, ct)).Object;
        return obj;
    }

    /// <summary>Runs the validating webhooks in parallel; the first denial in webhook order is the answer.</summary>
    public async Task ValidateAsync(Cluster cluster, AdmissionAttributes a, JsonObject? obj, JsonObject? old,
        WebhookSet hooks, Action<string> warn, CancellationToken ct)
    {
        var results = await Task.WhenAll(hooks.Validating.Select(w => SettleAsync(CallAsync(cluster, w, a, obj, old, ct))));
        foreach (var (verdict, _) in results)
        {
            if (verdict is not { } v) continue;
            foreach (var w in v.Verdict.Warnings) warn(w);
        }
        foreach (var (verdict, error) in results)
        {
            if (error is not null) throw error;
            if (verdict is { Verdict.Allowed: false } denied) throw Denied(denied.Hook.Name, denied.Verdict.Status);
        }
    }

    private static async Task<(T? Value, ApiException? Error)> SettleAsync<T>(Task<T?> call) where T : struct
    {
        try
        {
            return (await call, null);
        }
        catch (ApiException e)
        {
            return (null, e);
        }
    }

    private async Task<(JsonObject? Object, bool Called)> MutateOnceAsync(Cluster cluster, Webhook w, AdmissionAttributes a,
        JsonObject? obj, JsonObject? old, Action<string> warn, CancellationToken ct)
    {
        var result = await CallAsync(cluster, w, a, obj, old, ct);
        if (result is not { } r) return (obj, false);
        foreach (var warning in r.Verdict.Warnings) warn(warning);
        if (!r.Verdict.Allowed) throw Denied(w.Name, r.Verdict.Status);
        if (r.Verdict.Patch is not { } patch) return (obj, true);
        if (obj is null)
            throw Internal($"admission webhook \"{w.Name}\" attempted to modify the object, which is not supported for this operation");
        JsonObject patched;
        try
        {
            var ops = JsonNode.Parse(patch);
            patched = JsonPatch.Apply((JsonObject)obj.DeepClone(), ops);
        }
        catch (Exception e) when (e is ApiException or JsonException or InvalidOperationException)
        {
            throw Internal($"JSON patch from admission webhook \"{w.Name}\" could not be applied: {e.Message}");
        }
        patched["apiVersion"] = obj["apiVersion"]?.DeepClone();
        patched["kind"] = obj["kind"]?.DeepClone();
        return (JsonNode.DeepEquals(patched, obj) ? obj : patched, true);
    }

    /// <summary>Calls one webhook if it applies; null when it does not, or when it failed under failurePolicy Ignore.</summary>
    private async Task<(Webhook Hook, WebhookVerdict Verdict)?> CallAsync(Cluster cluster, Webhook w, AdmissionAttributes a,
        JsonObject? obj, JsonObject? old, CancellationToken ct)
    {
        if (WebhookMatcher.MatchVersion(w, a) is not { } version) return null;
        if (!WebhookMatcher.SelectorsMatch(w, a, obj, old, ns => cluster.TryGet(cluster.Store(BuiltInTypes.Namespaces), null, ns)?.Labels))
            return null;
        // Checked before the call and whatever the failure policy: a webhook with side effects must not see a dry run.
        if (a.DryRun && !w.SupportsDryRun) throw ApiException.BadRequest($"admission webhook \"{w.Name}\" does not support dry run");
        var uid = Guid.NewGuid().ToString();
        try
        {
            return (w, await _client.CallAsync(w, AdmissionReview.Request(a, uid, version, obj, old, options.UserName), uid, ct));
        }
        catch (WebhookCallException e) when (w.IgnoreFailures)
        {
            if (logger.IsEnabled(LogLevel.Warning))
                logger.LogWarning("Admission webhook {Webhook} failed and is ignored (failurePolicy Ignore): {Reason}", w.Name, e.Message);
            return null;
        }
        catch (WebhookCallException e)
        {
            throw Internal($"failed calling webhook \"{w.Name}\": {e.Message}");
        }
    }

    /// <summary>A denial as kube-apiserver reports it: the webhook's code (at least 400), reason and message, prefixed with its name.</summary>
    public static ApiException Denied(string webhook, JsonObject? status)
    {
        var code = status?["code"] is JsonValue c && c.TryGetValue<int>(out var n) ? n : 0;
        var reason = status is null ? null : Webhook.Str(status, "reason");
        var message = status is null ? null : Webhook.Str(status, "message");
        var prefix = $"admission webhook \"{webhook}\" denied the request";
        var text = !string.IsNullOrEmpty(message) ? $"{prefix}: {message}"
            : !string.IsNullOrEmpty(reason) ? $"{prefix}: {reason}"
            : $"{prefix} without explanation";
        return new ApiException(code < 400 ? 400 : code, reason ?? "", text);
    }

    private static ApiException Internal(string why) => new(500, "InternalError", $"Internal error occurred: {why}");

    private List<Webhook> Read(Cluster cluster, ResourceType type, bool mutating)
    {
        var store = cluster.Store(type);
        var items = cluster.List(store, new ListQuery(null, LabelSelector.Everything, FieldSelector.Everything, 0, null)).Items;
        if (items.Count == 0) return [];
        // Items come in name order, which is kube-apiserver's order of configurations.
        return items.SelectMany(o => _parsed.GetValue(o, stored => Webhook.Parse(stored.Parse(), mutating))).ToList();
    }

    public void Dispose() => _client.Dispose();
}
