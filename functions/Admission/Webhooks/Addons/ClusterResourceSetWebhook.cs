using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's ClusterResourceSet webhooks: strategy defaults to ApplyOnce; the cluster selector must parse and
/// select something, and neither it nor a set strategy may change.</summary>
public sealed class ClusterResourceSetWebhook() : KindWebhook<ClusterResourceSet>(CapiGroups.Addons, ClusterResourceSet.KubeKind, "clusterresourcesets")
{
    protected override IReadOnlyList<FieldError> Default(ClusterResourceSet obj, ClusterResourceSet? old, AdmissionContext context)
    {
        if (string.IsNullOrEmpty(obj.Spec.Strategy)) obj.Spec.Strategy = ClusterResourceSetStrategy.ApplyOnce;
        return [];
    }

    protected override AdmissionVerdict Validate(ClusterResourceSet obj, ClusterResourceSet? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        var selector = obj.Spec.ClusterSelector;
        if (LabelRules.SelectorError(selector) is { } selectorError)
            errors.Add(FieldError.Invalid(spec.Child("clusterSelector"), selector, selectorError));
        else if (selector.IsEmpty)
            errors.Add(FieldError.Invalid(spec.Child("clusterSelector"), selector, "selector must not be empty"));
        if (old is not null && !string.IsNullOrEmpty(old.Spec.Strategy) && old.Spec.Strategy != obj.Spec.Strategy)
            errors.Add(FieldError.Invalid(spec.Child("strategy"), obj.Spec.Strategy, "field is immutable"));
        if (old is not null && !JsonNode.DeepEquals(Node(old.Spec.ClusterSelector), Node(selector)))
            errors.Add(FieldError.Invalid(spec.Child("clusterSelector"), selector, "field is immutable"));
        return Verdict(obj, errors);
    }

    private static JsonNode? Node(LabelSelector selector) => JsonSerializer.SerializeToNode(selector, Manifests.JsonOptions);
}

/// <summary>CAPI's ClusterResourceSetBinding webhook (validating only): clusterName, once set, never changes.</summary>
public sealed class ClusterResourceSetBindingWebhook()
    : KindWebhook<ClusterResourceSetBinding>(CapiGroups.Addons, ClusterResourceSetBinding.KubeKind, "clusterresourcesetbindings")
{
    public override bool Mutates => false;

    protected override AdmissionVerdict Validate(ClusterResourceSetBinding obj, ClusterResourceSetBinding? old, AdmissionContext context)
    {
        var errors = new List<FieldError>();
        if (old is not null && !string.IsNullOrEmpty(old.Spec.ClusterName) && old.Spec.ClusterName != obj.Spec.ClusterName)
            errors.Add(FieldError.Invalid(FieldPath.Root("spec", "clusterName"), obj.Spec.ClusterName, "field is immutable"));
        return Verdict(obj, errors);
    }
}
