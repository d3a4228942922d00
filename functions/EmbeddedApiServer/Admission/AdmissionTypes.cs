using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>The admissionregistration.k8s.io/v1 webhook configuration kinds, served as cluster-scoped built-ins.</summary>
public static class AdmissionTypes
{
    public const string Group = "admissionregistration.k8s.io";

    public static readonly ResourceType MutatingWebhookConfigurations = Define("MutatingWebhookConfiguration");

    public static readonly ResourceType ValidatingWebhookConfigurations = Define("ValidatingWebhookConfiguration");

    /// <summary>Whether a resource is one of the two configuration kinds (requests for them never reach webhooks, as in Kubernetes).</summary>
    public static bool IsConfiguration(ResourceType type) =>
        type.Group == Group && (type.Kind == MutatingWebhookConfigurations.Kind || type.Kind == ValidatingWebhookConfigurations.Kind);

    private static ResourceType Define(string kind) => new()
    {
        Group = Group,
        Versions = ["v1"],
        Plural = kind.ToLowerInvariant() + "s",
        Singular = kind.ToLowerInvariant(),
        Kind = kind,
        Namespaced = false,
        Categories = ["api-extensions"],
        Behavior = KindBehavior.Plain,
        Columns = [new("Webhooks", "integer", "#count(.webhooks)"), new("Age", "date", ".metadata.creationTimestamp")],
        // Only what strategic merge patch needs: webhooks merge by name, as their Go type's patchMergeKey says.
        Schema = new JsonObject
        {
            ["type"] = "object",
            ["x-kubernetes-preserve-unknown-fields"] = true,
            ["properties"] = new JsonObject
            {
                ["webhooks"] = new JsonObject
                {
                    ["type"] = "array",
                    ["x-kubernetes-list-type"] = "map",
                    ["x-kubernetes-list-map-keys"] = new JsonArray("name"),
                    ["x-kubernetes-patch-merge-key"] = "name",
                    ["x-kubernetes-patch-strategy"] = "merge",
                    ["items"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                },
            },
        },
    };
}
