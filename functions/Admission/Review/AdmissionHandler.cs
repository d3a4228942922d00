using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>The outcome of one webhook call: the verdict and, for a defaulting webhook, the JSON patch and the
/// object as patched.</summary>
public sealed record AdmissionOutcome(AdmissionVerdict Verdict, JsonArray? Patch, JsonNode? Patched)
{
    public bool Allowed => Verdict.Allowed;
}

/// <summary>Answers AdmissionReview v1 requests (admission.k8s.io/v1) the way controller-runtime answers them for
/// CAPI's webhooks: defaulters with a JSONPatch, validators with a Status (422 Invalid with causes, 403 when denied).</summary>
public sealed class AdmissionHandler(AdmissionOptions? options = null)
{
    public const string ReviewApiVersion = "admission.k8s.io/v1";

    public AdmissionOptions Options { get; } = options ?? AdmissionOptions.Default;

    /// <summary>The response review for a request review posted to <paramref name="endpoint"/>.</summary>
    public JsonObject Handle(WebhookEndpoint endpoint, JsonNode? review)
    {
        var request = review?["request"] as JsonObject;
        var uid = request?["uid"]?.GetValue<string>() ?? "";
        AdmissionOutcome outcome;
        try
        {
            outcome = request is null
                ? new AdmissionOutcome(AdmissionVerdict.BadRequest("the AdmissionReview has no request"), null, null)
                : Review(endpoint, request);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
        {
            outcome = new AdmissionOutcome(AdmissionVerdict.BadRequest($"cannot read the request: {e.Message}"), null, null);
        }
        return ResponseReview(uid, outcome);
    }

    /// <summary>One request (the <c>request</c> member of a review).</summary>
    public AdmissionOutcome Review(WebhookEndpoint endpoint, JsonObject request)
    {
        var operation = request["operation"]?.GetValue<string>() ?? "";
        var dryRun = request["dryRun"]?.GetValue<bool>() ?? false;
        var context = new AdmissionContext(operation, dryRun, Options);
        if (operation == "DELETE" || operation == "CONNECT")
            return new AdmissionOutcome(AdmissionVerdict.Allow(), null, null);
        var objectNode = request["object"] ?? throw new FormatException("the request has no object");
        var old = request["oldObject"] is { } oldNode && operation == "UPDATE" ? Read(endpoint.Webhook, oldNode) : null;
        return endpoint.Mutating
            ? Mutate(endpoint.Webhook, objectNode, old, context)
            : new AdmissionOutcome(Validate(endpoint.Webhook, Read(endpoint.Webhook, objectNode), old, context), null, null);
    }

    /// <summary>Defaulting, then validation of the defaulted object, as the API server chains the two webhooks.</summary>
    public AdmissionOutcome Admit(JsonNode obj, JsonNode? old, string operation)
    {
        var info = KindOf(obj);
        var webhook = AdmissionWebhooks.ForKind(info.Group, info.Kind) ?? throw new NotSupportedException($"No webhook serves {info.Kind}.{info.Group}.");
        var context = new AdmissionContext(operation, false, Options);
        var oldObject = old is null ? null : Read(webhook, old);
        var patched = obj;
        JsonArray? patch = null;
        if (webhook.Mutates)
        {
            var mutated = Mutate(webhook, obj, oldObject, context);
            if (!mutated.Allowed)
                return mutated;
            (patch, patched) = (mutated.Patch, mutated.Patched!);
        }
        return new AdmissionOutcome(Validate(webhook, Read(webhook, patched), oldObject, context), patch, patched);
    }

    /// <summary>The defaulting webhook alone (the object as the API server would store it, were it valid).</summary>
    public AdmissionOutcome Default(JsonNode obj, JsonNode? old, string operation)
    {
        var info = KindOf(obj);
        var webhook = AdmissionWebhooks.ForKind(info.Group, info.Kind) ?? throw new NotSupportedException($"No webhook serves {info.Kind}.{info.Group}.");
        if (!webhook.Mutates)
            return new AdmissionOutcome(AdmissionVerdict.Allow(), [], obj.DeepClone());
        return Mutate(webhook, obj, old is null ? null : Read(webhook, old), new AdmissionContext(operation, false, Options));
    }

    private static AdmissionOutcome Mutate(KindWebhook webhook, JsonNode original, KubeObject? old, AdmissionContext context)
    {
        var obj = Read(webhook, original);
        // The patch is what defaulting changed in the typed object, so differences of mere representation between the
        // request and the types' JSON (timestamps, empty fields) never become operations.
        var baseline = Manifests.ToJson(obj);
        try
        {
            var errors = webhook.Default(obj, old, context);
            if (errors.Count > 0)
                return new AdmissionOutcome(AdmissionVerdict.Invalid(webhook.Group, webhook.Kind, obj.Metadata.Name ?? "", errors), null, null);
        }
        catch (AdmissionDeniedException denied)
        {
            return new AdmissionOutcome(AdmissionVerdict.Denied(denied.Message), null, null);
        }
        var defaulted = Manifests.ToJson(obj);
        var patch = JsonDiff.CreatePatch(baseline, defaulted);
        JsonNode patched;
        try
        {
            patched = JsonPatchApplier.Apply(original, patch);
        }
        catch (InvalidOperationException)
        {
            // A change below a member the request spelled differently: patch against the request itself.
            patch = JsonDiff.CreatePatch(original, defaulted);
            patched = JsonPatchApplier.Apply(original, patch);
        }
        return new AdmissionOutcome(AdmissionVerdict.Allow(), patch, patched);
    }

    private static AdmissionVerdict Validate(KindWebhook webhook, KubeObject obj, KubeObject? old, AdmissionContext context)
    {
        try
        {
            return webhook.Validate(obj, old, context);
        }
        catch (AdmissionDeniedException denied)
        {
            return AdmissionVerdict.Denied(denied.Message);
        }
    }

    private static KubeObject Read(KindWebhook webhook, JsonNode node)
    {
        var info = KindOf(node);
        if (info.Group != webhook.Group || info.Kind != webhook.Kind)
            throw new FormatException($"expected a {webhook.Kind}.{webhook.Group}, got {info.Kind}.{info.Group}");
        return Manifests.FromJson(node) as KubeObject ?? throw new FormatException($"{info.ApiVersion} {info.Kind} is not a served version");
    }

    private static (string Group, string Kind, string ApiVersion) KindOf(JsonNode node)
    {
        var apiVersion = node["apiVersion"]?.GetValue<string>() ?? "";
        return (ContractVersionedObjectReference.GroupOf(apiVersion), node["kind"]?.GetValue<string>() ?? "", apiVersion);
    }

    private static JsonObject ResponseReview(string uid, AdmissionOutcome outcome)
    {
        var response = new JsonObject { ["uid"] = uid, ["allowed"] = outcome.Allowed };
        if (outcome.Verdict.Status is { } status)
            response["status"] = status.DeepClone();
        if (outcome.Patch is { Count: > 0 } patch)
        {
            response["patchType"] = "JSONPatch";
            response["patch"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(patch.ToJsonString()));
        }
        if (outcome.Verdict.Warnings.Count > 0)
            response["warnings"] = new JsonArray(outcome.Verdict.Warnings.Select(w => (JsonNode)JsonValue.Create(w)).ToArray());
        return new JsonObject { ["apiVersion"] = ReviewApiVersion, ["kind"] = "AdmissionReview", ["response"] = response };
    }
}
