using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>Checks of CAPI's template webhooks: templates behind the ClusterTopology gate, and template specs that
/// may not change once created.</summary>
internal static class TemplateRules
{
    /// <summary>CAPI returns this as a bare field error, which controller-runtime answers with 403.</summary>
    public static void RequireClusterTopology(AdmissionContext context)
    {
        if (!context.Options.ClusterTopology)
            throw new AdmissionDeniedException("spec: Forbidden: can be set only if the ClusterTopology feature flag is enabled");
    }

    /// <summary><c>spec.template.spec</c> unchanged, or CAPI's immutability error with the changed fields.</summary>
    public static IEnumerable<FieldError> Immutable(string kind, KubeObject obj, object? oldSpec, object? newSpec, string wording)
    {
        var before = oldSpec is null ? null : Manifests.ToJson(oldSpec);
        var after = newSpec is null ? null : Manifests.ToJson(newSpec);
        if (JsonNode.DeepEquals(before, after))
            yield break;
        var changes = JsonDiff.ChangedPaths(before ?? new JsonObject(), after ?? new JsonObject()).Select(p => string.Join(".", p));
        yield return FieldError.Invalid(FieldPath.Root("spec", "template", "spec"), obj,
            $"{kind} spec.template.spec field is immutable. {wording}. Diff: changed {string.Join(", ", changes)}");
    }
}
