using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's MachineDeployment webhooks: cluster-name label, replicas (from the autoscaler annotations), the
/// RollingUpdate strategy with maxSurge 1 / maxUnavailable 0, the deployment-name selector when none is given, the
/// cluster-name in selector and template, version prefix; and their validation.</summary>
public sealed class MachineDeploymentWebhook() : KindWebhook<MachineDeployment>(CapiGroups.Core, MachineDeployment.KubeKind, "machinedeployments")
{
    protected override IReadOnlyList<FieldError> Default(MachineDeployment obj, MachineDeployment? old, AdmissionContext context)
    {
        CoreRules.CheckAutoscalerAnnotations(Kind, obj.Spec.Replicas, obj.Metadata.Annotations);
        CapiDefaults.Default(obj, context.IsUpdate ? old : null);
        return [];
    }

    protected override AdmissionVerdict Validate(MachineDeployment obj, MachineDeployment? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        var name = obj.Metadata.Name ?? "";
        foreach (var error in LabelRules.LabelValueErrors(name))
            errors.Add(FieldError.Invalid(FieldPath.Root("metadata", "name"), name, $"must be a valid label value: {error}"));
        errors.AddRange(SchemaRules.RequiredText(spec.Child("clusterName"), obj.Spec.ClusterName));
        errors.AddRange(CoreRules.NonNegativeReplicas(spec, obj.Spec.Replicas));
        errors.AddRange(CoreRules.DeletionOrder(spec, obj.Spec.Deletion));
        errors.AddRange(SchemaRules.Enum(spec.Child("rollout", "strategy", "type"), obj.Spec.Rollout?.Strategy?.Type,
            RolloutStrategyType.RollingUpdate, RolloutStrategyType.OnDelete));
        if (!CoreRules.HasBootstrap(obj.Spec.Template.Spec.Bootstrap))
        {
            errors.Add(FieldError.Required(spec.Child("template", "spec", "bootstrap"),
                "expected either spec.template.spec.bootstrap.dataSecretName or spec.template.spec.bootstrap.configRef to be populated"));
        }
        if (LabelRules.SelectorError(obj.Spec.Selector) is { } selectorError)
            errors.Add(FieldError.Invalid(spec.Child("selector"), obj.Spec.Selector, selectorError));
        else if (!obj.Spec.Selector.Matches(obj.Spec.Template.Metadata?.Labels))
        {
            errors.Add(FieldError.Forbidden(spec.Child("template", "metadata", "labels"),
                $"must match spec.selector {LabelRules.Quote(LabelRules.SelectorString(obj.Spec.Selector))}"));
        }
        errors.AddRange(CoreRules.SkippedPreflightChecks(obj.Metadata.Annotations, context));
        errors.AddRange(CoreRules.ClusterNameImmutable(spec, old?.Spec.ClusterName, obj.Spec.ClusterName));
        errors.AddRange(CoreRules.ClusterNameMatchesTemplate(spec, obj.Spec.ClusterName, obj.Spec.Template.Spec.ClusterName));
        var rolling = obj.Spec.Rollout?.Strategy?.RollingUpdate;
        errors.AddRange(RolloutStrategy(spec.Child("rollout", "strategy"), rolling?.MaxUnavailable, rolling?.MaxSurge));
        errors.AddRange(IntOrPercent.Validate(spec.Child("remediation", "maxInFlight"), obj.Spec.Remediation?.MaxInFlight));
        if (!string.IsNullOrEmpty(obj.Spec.Template.Spec.Version))
            errors.AddRange(VersionRules.Validate(spec.Child("template", "spec", "version"), obj.Spec.Template.Spec.Version));
        errors.AddRange(TaintRules.Validate(obj.Spec.Template.Spec.Taints, spec.Child("template", "spec", "taints"), context.Options, worker: true));
        errors.AddRange(CoreRules.MachineNaming(obj.Spec.MachineNaming, spec.Child("machineNaming")));
        errors.AddRange(LabelRules.ValidateTemplateMetadata(obj.Spec.Template.Metadata, spec.Child("template", "metadata")));
        return Verdict(obj, errors);
    }

    private static IEnumerable<FieldError> RolloutStrategy(FieldPath path, IntOrString? maxUnavailable, IntOrString? maxSurge)
    {
        foreach (var e in IntOrPercent.Validate(path.Child("rollingUpdate", "maxUnavailable"), maxUnavailable))
            yield return e;
        foreach (var e in IntOrPercent.Validate(path.Child("rollingUpdate", "maxSurge"), maxSurge))
            yield return e;
        if (maxUnavailable is { IntValue: 0 } && maxSurge is { IntValue: 0 })
            yield return FieldError.Invalid(path.Child("rollingUpdate"), maxSurge.ToString(), "maxUnavailable and maxSurge cannot both be 0");
    }
}
