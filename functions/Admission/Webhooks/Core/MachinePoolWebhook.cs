using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's MachinePool webhooks: cluster-name label, replicas (from the autoscaler annotations), the node
/// deletion timeout and version prefix; bootstrap source, clusterName rules, version, no taints, template metadata.</summary>
public sealed class MachinePoolWebhook() : KindWebhook<MachinePool>(CapiGroups.Core, MachinePool.KubeKind, "machinepools")
{
    protected override IReadOnlyList<FieldError> Default(MachinePool obj, MachinePool? old, AdmissionContext context)
    {
        CoreRules.CheckAutoscalerAnnotations(Kind, obj.Spec.Replicas, obj.Metadata.Annotations);
        CapiDefaults.Default(obj, context.IsUpdate ? old : null);
        return [];
    }

    protected override AdmissionVerdict Validate(MachinePool obj, MachinePool? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        errors.AddRange(SchemaRules.RequiredText(spec.Child("clusterName"), obj.Spec.ClusterName));
        if (!CoreRules.HasBootstrap(obj.Spec.Template.Spec.Bootstrap))
        {
            errors.Add(FieldError.Required(spec.Child("template", "spec", "bootstrap"),
                "expected either spec.template.spec.bootstrap.dataSecretName or spec.template.spec.bootstrap.configRef to be populated"));
        }
        errors.AddRange(CoreRules.ClusterNameImmutable(spec, old?.Spec.ClusterName, obj.Spec.ClusterName));
        errors.AddRange(CoreRules.ClusterNameMatchesTemplate(spec, obj.Spec.ClusterName, obj.Spec.Template.Spec.ClusterName));
        if (!string.IsNullOrEmpty(obj.Spec.Template.Spec.Version))
            errors.AddRange(VersionRules.Validate(spec.Child("template", "spec", "version"), obj.Spec.Template.Spec.Version));
        if (obj.Spec.Template.Spec.Taints is { Count: > 0 })
        {
            // CAPI reports the missing pool support first, then the feature gate (both at spec.taints).
            errors.Add(FieldError.Forbidden(spec.Child("taints"), "taints feature for MachinePools is not yet implemented"));
            if (!context.Options.MachineTaintPropagation)
                errors.Add(FieldError.Forbidden(spec.Child("taints"), "taints are not allowed to be set when the feature gate MachineTaintPropagation is disabled"));
        }
        errors.AddRange(LabelRules.ValidateTemplateMetadata(obj.Spec.Template.Metadata, spec.Child("template", "metadata")));
        return Verdict(obj, errors);
    }
}
