using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's KubeadmControlPlaneTemplate webhook (validation only): created only with ClusterTopology on,
/// rollout, naming and metadata checks, and an immutable <c>spec.template.spec</c>.</summary>
public sealed class KubeadmControlPlaneTemplateWebhook()
    : KindWebhook<KubeadmControlPlaneTemplate>(CapiGroups.ControlPlane, KubeadmControlPlaneTemplate.KubeKind, "kubeadmcontrolplanetemplates")
{
    public override bool Mutates => false;

    protected override string StatusGroup => CapiGroups.Core;

    protected override AdmissionVerdict Validate(KubeadmControlPlaneTemplate obj, KubeadmControlPlaneTemplate? old, AdmissionContext context)
    {
        var resource = obj.Spec.Template.Spec;
        if (old is not null)
        {
            // Templates written before CAPI stopped defaulting the rollout strategy may drop it again.
            var oldStrategy = old.Spec.Template.Spec?.Rollout?.Strategy;
            if (resource?.Rollout?.Strategy is null && oldStrategy is { Type: RolloutStrategyType.RollingUpdate, RollingUpdate.MaxSurge.IntValue: 1 })
                (resource!.Rollout ??= new KubeadmControlPlaneRolloutSpec()).Strategy = oldStrategy;
            ApplyPreviousDefaults(old.Spec.Template.Spec?.KubeadmConfigSpec);
            ApplyPreviousDefaults(resource?.KubeadmConfigSpec);
            return Verdict(obj, TemplateRules.Immutable(Kind, obj, old.Spec.Template.Spec, resource, "Please create new resource instead"));
        }
        TemplateRules.RequireClusterTopology(context);
        var path = FieldPath.Root("spec", "template", "spec");
        var errors = new List<FieldError>();
        if (resource is not null)
        {
            errors.AddRange(KubeadmControlPlaneRules.Rollout(resource.Rollout, resource.KubeadmConfigSpec?.ClusterConfiguration, null, path));
            errors.AddRange(CoreRules.MachineNaming(resource.MachineNaming, path.Child("machineNaming")));
            errors.AddRange(TaintRules.Validate(resource.MachineTemplate?.Spec?.Taints, path.Child("machineTemplate", "spec", "taints"), context.Options, worker: false));
            errors.AddRange(LabelRules.ValidateTemplateMetadata(resource.MachineTemplate?.Metadata, path.Child("machineTemplate", "metadata")));
            var configPath = path.Child("kubeadmConfigSpec");
            errors.AddRange(KubeadmControlPlaneRules.ClusterConfiguration(null, resource.KubeadmConfigSpec?.ClusterConfiguration, configPath.Child("clusterConfiguration"), false));
            errors.AddRange(KubeadmConfigRules.Validate(resource.KubeadmConfigSpec, true, configPath, context.Options));
        }
        errors.AddRange(LabelRules.ValidateTemplateMetadata(obj.Spec.Template.Metadata, FieldPath.Root("spec", "template", "metadata")));
        return Verdict(obj, errors);
    }

    /// <summary>Defaults older CAPI versions wrote, applied to both sides so templates created then compare equal.</summary>
    private static void ApplyPreviousDefaults(KubeadmConfigSpec? spec)
    {
        if (spec is null)
            return;
        spec.Format ??= BootstrapFormat.CloudConfig;
        ((spec.InitConfiguration ??= new InitConfiguration()).NodeRegistration ??= new NodeRegistrationOptions()).ImagePullPolicy ??= "IfNotPresent";
        ((spec.JoinConfiguration ??= new JoinConfiguration()).NodeRegistration ??= new NodeRegistrationOptions()).ImagePullPolicy ??= "IfNotPresent";
    }
}
