using System.Text;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Model;

/// <summary>What the API server does to particular kinds on write (defaults, derived status, normalisation).</summary>
public static class KindRules
{
    public const string NamespaceFinalizer = "kubernetes";

    /// <returns>Fields dropped because the CRD schema does not declare them.</returns>
    public static List<string> OnCreate(ResourceType type, JsonObject obj)
    {
        switch (type.Behavior)
        {
            case KindBehavior.Namespace:
                var name = ObjectRules.Text(ObjectRules.Meta(obj), "name")!;
                var labels = ObjectRules.Meta(obj)["labels"] as JsonObject ?? [];
                labels["kubernetes.io/metadata.name"] = name;
                ObjectRules.Meta(obj)["labels"] = labels;
                obj["spec"] = new JsonObject { ["finalizers"] = new JsonArray(NamespaceFinalizer) };
                obj["status"] = new JsonObject { ["phase"] = "Active" };
                break;
            case KindBehavior.CustomResourceDefinition:
                var fins = ObjectRules.Finalizers(obj);
                if (!fins.Contains(Cluster.CrdCleanupFinalizer)) fins.Add(Cluster.CrdCleanupFinalizer);
                ObjectRules.SetFinalizers(obj, fins);
                CrdStatus(obj, null);
                break;
            case KindBehavior.Custom:
                return SchemaPruner.Prune(type.Schema, obj);
            default:
                Normalize(type, obj);
                break;
        }
        return [];
    }

    public static List<string> OnUpdate(ResourceType type, JsonObject old, JsonObject next)
    {
        switch (type.Behavior)
        {
            case KindBehavior.Namespace:
                // spec.finalizers changes only through the finalize subresource.
                if (old["spec"] is { } spec) next["spec"] = spec.DeepClone();
                var labels = ObjectRules.Meta(next)["labels"] as JsonObject ?? [];
                labels["kubernetes.io/metadata.name"] = ObjectRules.Text(ObjectRules.Meta(next), "name");
                ObjectRules.Meta(next)["labels"] = labels;
                break;
            case KindBehavior.CustomResourceDefinition:
                CrdStatus(next, old);
                break;
            case KindBehavior.Custom:
                return SchemaPruner.Prune(type.Schema, next);
            default:
                Normalize(type, next);
                break;
        }
        return [];
    }

    /// <summary>A namespace is removed only once its own spec finalizer is gone too.</summary>
    public static bool HasSpecFinalizers(ResourceType type, JsonObject obj) =>
        type.Behavior == KindBehavior.Namespace && obj["spec"]?["finalizers"] is JsonArray { Count: > 0 };

    private static void Normalize(ResourceType type, JsonObject obj)
    {
        if (type.Kind != "Secret" || type.Group.Length != 0) return;
        // stringData is write-only: it is merged into data (base64) and never stored.
        var data = obj["data"] as JsonObject;
        if (data is not null)
        {
            foreach (var (key, value) in data)
            {
                if (value is JsonValue v && v.TryGetValue<string>(out var s) && !IsBase64(s))
                    throw ApiException.BadRequest($"Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 0 (data[{key}])");
            }
        }
        if (obj["stringData"] is JsonObject stringData)
        {
            data ??= [];
            foreach (var (key, value) in stringData)
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value?.GetValue<string>() ?? ""));
            obj["data"] = data;
            obj.Remove("stringData");
        }
        if (obj["type"] is not JsonValue t || t.GetValue<string>().Length == 0) obj["type"] = "Opaque";
    }

    private static bool IsBase64(string s)
    {
        Span<byte> buffer = new byte[(s.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(s, buffer, out _);
    }

    /// <summary>Names are accepted and the CRD is established at once (there is no controller delay here).</summary>
    private static void CrdStatus(JsonObject crd, JsonObject? old)
    {
        var type = CrdTypes.FromCrd(crd);
        var now = ObjectRules.Now();
        var status = new JsonObject
        {
            ["acceptedNames"] = crd["spec"]!["names"]!.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", old, now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", old, now)),
            ["storedVersions"] = StoredVersions(old, type.StorageVersion),
        };
        var accepted = (JsonObject)status["acceptedNames"]!;
        if (accepted["singular"] is null) accepted["singular"] = type.Singular;
        if (accepted["listKind"] is null) accepted["listKind"] = type.ListKind;
        crd["status"] = status;
    }

    private static JsonObject Condition(string type, string reason, string message, JsonObject? old, string now)
    {
        var since = (old?["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == type)?["lastTransitionTime"]?.GetValue<string>();
        return new JsonObject
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = since ?? now,
            ["reason"] = reason,
            ["message"] = message,
        };
    }

    private static JsonArray StoredVersions(JsonObject? old, string storage)
    {
        var versions = (old?["status"]?["storedVersions"] as JsonArray)?.Select(v => v!.GetValue<string>()).ToList() ?? [];
        if (!versions.Contains(storage)) versions.Add(storage);
        return new JsonArray(versions.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
    }
}
