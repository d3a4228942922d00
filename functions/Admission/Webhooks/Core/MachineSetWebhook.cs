using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's MachineSet webhooks: cluster-name label, replicas (from the autoscaler annotations), the set-name
/// selector when none is given, version prefix; selector against template labels, clusterName rules, version.</summary>
public sealed class MachineSetWebhook() : KindWebhook<MachineSet>(CapiGroups.Core, MachineSet.KubeKind, "machinesets")
{
    protected override IReadOnlyList<FieldError> Default(MachineSet obj, MachineSet? old, AdmissionContext context)
    {
        CoreRules.CheckAutoscalerAnnotations(Kind, obj.Spec.Replicas, obj.Metadata.Annotations);
        CapiDefaults.Default(obj, context.IsUpdate ? old : null);
        return [];
    }

    protected override AdmissionVerdict Validate(MachineSet obj, MachineSet? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        errors.AddRange(SchemaRules.RequiredText(spec.Child("clusterName"), obj.Spec.ClusterName));
        errors.AddRange(CoreRules.NonNegativeReplicas(spec, obj.Spec.Replicas));
        errors.AddRange(CoreRules.DeletionOrder(spec, obj.Spec.Deletion));
        if (!CoreRules.HasBootstrap(obj.Spec.Template.Spec.Bootstrap))
        {
            errors.Add(FieldError.Required(spec.Child("template", "spec", "bootstrap"),
                "expected either spec.template.spec.bootstrap.dataSecretName or spec.template.spec.bootstrap.configRef to be populated"));
        }
        var templateLabels = obj.Spec.Template.Metadata?.Labels;
        if (LabelRules.SelectorError(obj.Spec.Selector) is { } selectorError)
            errors.Add(FieldError.Invalid(spec.Child("selector"), obj.Spec.Selector, selectorError));
        else if (!obj.Spec.Selector.Matches(templateLabels))
        {
            errors.Add(FieldError.Invalid(spec.Child("template", "metadata", "labels"), templateLabels ?? [],
                $"must match spec.selector {LabelRules.Quote(LabelRules.SelectorString(obj.Spec.Selector))}"));
        }
        errors.AddRange(CoreRules.SkippedPreflightChecks(obj.Metadata.Annotations, context));
        errors.AddRange(CoreRules.ClusterNameImmutable(spec, old?.Spec.ClusterName, obj.Spec.ClusterName));
        errors.AddRange(CoreRules.ClusterNameMatchesTemplate(spec, obj.Spec.ClusterName, obj.Spec.Template.Spec.ClusterName));
        if (!string.IsNullOrEmpty(obj.Spec.Template.Spec.Version))
            errors.AddRange(VersionRules.Validate(spec.Child("template", "spec", "version"), obj.Spec.Template.Spec.Version));
        errors.AddRange(TaintRules.Validate(obj.Spec.Template.Spec.Taints, spec.Child("template", "spec", "taints"), context.Options, worker: true));
        errors.AddRange(CoreRules.MachineNaming(obj.Spec.MachineNaming, spec.Child("machineNaming")));
        errors.AddRange(LabelRules.ValidateTemplateMetadata(obj.Spec.Template.Metadata, spec.Child("template", "metadata")));
        return Verdict(obj, errors);
    }
}
