using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's KubeadmConfig webhook: validation only (files, users, ignition, disk setup, discovery).</summary>
public sealed class KubeadmConfigWebhook() : KindWebhook<KubeadmConfig>(CapiGroups.Bootstrap, KubeadmConfig.KubeKind, "kubeadmconfigs")
{
    public override bool Mutates => false;

    protected override AdmissionVerdict Validate(KubeadmConfig obj, KubeadmConfig? old, AdmissionContext context) =>
        Verdict(obj, KubeadmConfigRules.Validate(obj.Spec, false, FieldPath.Root("spec"), context.Options));
}

/// <summary>CAPI's KubeadmConfigTemplate webhooks: the template's config spec and metadata. Its defaulter only
/// touches topology dry-run requests, which the product does not send, so it leaves objects as they are.</summary>
public sealed class KubeadmConfigTemplateWebhook() : KindWebhook<KubeadmConfigTemplate>(CapiGroups.Bootstrap, KubeadmConfigTemplate.KubeKind, "kubeadmconfigtemplates")
{
    protected override AdmissionVerdict Validate(KubeadmConfigTemplate obj, KubeadmConfigTemplate? old, AdmissionContext context)
    {
        var template = FieldPath.Root("spec", "template");
        return Verdict(obj, KubeadmConfigRules.Validate(obj.Spec.Template.Spec, false, template.Child("spec"), context.Options)
            .Concat(LabelRules.ValidateTemplateMetadata(obj.Spec.Template.Metadata, template.Child("metadata"))));
    }
}
