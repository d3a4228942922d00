using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>The API's defaults and validation for webhook configurations (the parts that decide how a webhook is called).</summary>
public static class ConfigurationRules
{
    private static readonly string[] Operations = ["*", "CREATE", "UPDATE", "DELETE", "CONNECT"];
    private static readonly string[] Scopes = ["*", "Cluster", "Namespaced"];

    /// <summary>Fills in the defaults the v1 API sets and rejects what kube-apiserver rejects (422 Invalid).</summary>
    public static void DefaultAndValidate(ResourceType type, JsonObject obj)
    {
        var mutating = type.Kind == AdmissionTypes.MutatingWebhookConfigurations.Kind;
        var errors = new List<StatusCause>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var hooks = obj["webhooks"] as JsonArray ?? [];
        for (var i = 0; i < hooks.Count; i++)
        {
            var at = $"webhooks[{i}]";
            if (hooks[i] is not JsonObject h)
            {
                errors.Add(Cause("FieldValueInvalid", at, "Invalid value: must be an object"));
                continue;
            }
            Default(h, mutating);
            var name = Webhook.Str(h, "name") ?? "";
            if (name.Length == 0) errors.Add(Cause("FieldValueRequired", $"{at}.name", "Required value"));
            else if (name.Split('.').Length < 3 || name.Split('.').Any(s => s.Length == 0))
                errors.Add(Cause("FieldValueInvalid", $"{at}.name", $"Invalid value: \"{name}\": should be a domain with at least three segments separated by dots"));
            else if (!names.Add(name)) errors.Add(Cause("FieldValueDuplicate", $"{at}.name", $"Duplicate value: \"{name}\""));

            var versions = Webhook.Strings(h, "admissionReviewVersions");
            if (versions.Count == 0)
                errors.Add(Cause("FieldValueRequired", $"{at}.admissionReviewVersions", "Required value: must specify one of v1"));
            else if (!versions.Contains("v1"))
                errors.Add(Cause("FieldValueInvalid", $"{at}.admissionReviewVersions",
                    $"Invalid value: [\"{string.Join("\", \"", versions)}\"]: must include v1 (the only AdmissionReview version this server sends)"));

            switch (Webhook.Str(h, "sideEffects"))
            {
                case null: errors.Add(Cause("FieldValueRequired", $"{at}.sideEffects", "Required value: must specify one of None, NoneOnDryRun")); break;
                case "None" or "NoneOnDryRun": break;
                case var other: errors.Add(Cause("FieldValueNotSupported", $"{at}.sideEffects", $"Unsupported value: \"{other}\": supported values: \"None\", \"NoneOnDryRun\"")); break;
            }
            if (h["timeoutSeconds"]?.GetValue<int>() is { } timeout and (< 1 or > 30))
                errors.Add(Cause("FieldValueInvalid", $"{at}.timeoutSeconds", $"Invalid value: {timeout}: the timeout value must be between 1 and 30 seconds"));
            OneOf(h, "failurePolicy", at, errors, "Fail", "Ignore");
            OneOf(h, "matchPolicy", at, errors, "Equivalent", "Exact");
            if (mutating) OneOf(h, "reinvocationPolicy", at, errors, "Never", "IfNeeded");
            ClientConfig(h["clientConfig"] as JsonObject, $"{at}.clientConfig", errors);
            var rules = h["rules"] as JsonArray ?? [];
            for (var r = 0; r < rules.Count; r++)
            {
                if (rules[r] is not JsonObject rule) continue;
                foreach (var op in Webhook.Strings(rule, "operations").Where(o => !Operations.Contains(o)))
                    errors.Add(Cause("FieldValueNotSupported", $"{at}.rules[{r}].operations", $"Unsupported value: \"{op}\""));
                if (!Scopes.Contains(Webhook.Str(rule, "scope") ?? "*"))
                    errors.Add(Cause("FieldValueNotSupported", $"{at}.rules[{r}].scope", $"Unsupported value: \"{Webhook.Str(rule, "scope")}\": supported values: \"*\", \"Cluster\", \"Namespaced\""));
                if (Webhook.Strings(rule, "resources").Count == 0)
                    errors.Add(Cause("FieldValueRequired", $"{at}.rules[{r}].resources", "Required value"));
            }
        }
        if (errors.Count == 0) return;
        var objName = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        var message = errors.Count == 1 ? Describe(errors[0]) : $"[{string.Join(", ", errors.Select(Describe))}]";
        throw ApiException.Invalid(type.Group, type.Kind, objName, message, [.. errors]);
    }

    private static void Default(JsonObject h, bool mutating)
    {
        h["failurePolicy"] ??= "Fail";
        h["matchPolicy"] ??= "Equivalent";
        h["namespaceSelector"] ??= new JsonObject();
        h["objectSelector"] ??= new JsonObject();
        h["timeoutSeconds"] ??= 10;
        if (mutating) h["reinvocationPolicy"] ??= "Never";
        foreach (var rule in (h["rules"] as JsonArray ?? []).OfType<JsonObject>()) rule["scope"] ??= "*";
        if (h["clientConfig"]?["service"] is JsonObject service) service["port"] ??= 443;
    }

    private static void ClientConfig(JsonObject? client, string at, List<StatusCause> errors)
    {
        var url = client is null ? null : Webhook.Str(client, "url");
        var service = client?["service"] as JsonObject;
        if ((url is null) == (service is null))
        {
            errors.Add(Cause("FieldValueRequired", at, "Required value: exactly one of url or service is required"));
            return;
        }
        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
                errors.Add(Cause("FieldValueInvalid", $"{at}.url", $"Invalid value: \"{url}\": host must be specified"));
            else if (uri.Scheme != "https")
                errors.Add(Cause("FieldValueInvalid", $"{at}.url", $"Invalid value: \"{uri.Scheme}\": 'https' is the only allowed URL scheme"));
            else if (uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
                errors.Add(Cause("FieldValueInvalid", $"{at}.url", "Invalid value: fragments and user information are not permitted"));
        }
        if (service is not null)
        {
            if (string.IsNullOrEmpty(Webhook.Str(service, "name"))) errors.Add(Cause("FieldValueRequired", $"{at}.service.name", "Required value: service name is required"));
            if (string.IsNullOrEmpty(Webhook.Str(service, "namespace"))) errors.Add(Cause("FieldValueRequired", $"{at}.service.namespace", "Required value: service namespace is required"));
        }
        if (client?["caBundle"] is JsonValue ca && ca.TryGetValue<string>(out var text) && !IsBase64(text))
            errors.Add(Cause("FieldValueInvalid", $"{at}.caBundle", "Invalid value: must be base64-encoded PEM"));
    }

    private static bool IsBase64(string text)
    {
        var buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static void OneOf(JsonObject h, string field, string at, List<StatusCause> errors, params string[] allowed)
    {
        var value = Webhook.Str(h, field);
        if (value is not null && !allowed.Contains(value))
            errors.Add(Cause("FieldValueNotSupported", $"{at}.{field}",
                $"Unsupported value: \"{value}\": supported values: {string.Join(", ", allowed.Select(a => $"\"{a}\""))}"));
    }

    private static StatusCause Cause(string reason, string field, string message) => new(reason, message, field);

    private static string Describe(StatusCause c) => $"{c.Field}: {c.Message}";
}
