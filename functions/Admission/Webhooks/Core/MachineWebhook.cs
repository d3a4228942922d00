using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's Machine webhooks: cluster-name label, version prefix and node deletion timeout; bootstrap source,
/// immutable clusterName and a semantic version.</summary>
public sealed class MachineWebhook() : KindWebhook<Machine>(CapiGroups.Core, Machine.KubeKind, "machines")
{
    protected override IReadOnlyList<FieldError> Default(Machine obj, Machine? old, AdmissionContext context)
    {
        CapiDefaults.Default(obj);
        return [];
    }

    protected override AdmissionVerdict Validate(Machine obj, Machine? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        errors.AddRange(SchemaRules.RequiredText(spec.Child("clusterName"), obj.Spec.ClusterName));
        errors.AddRange(SchemaRules.Reference(spec.Child("infrastructureRef"), obj.Spec.InfrastructureRef));
        if (!CoreRules.HasBootstrap(obj.Spec.Bootstrap) && !(obj.Metadata.Labels?.ContainsKey(CapiLabels.PoolName) ?? false))
        {
            // Machines of a MachinePool get their bootstrap data from the pool.
            errors.Add(FieldError.Required(spec.Child("bootstrap"), "expected either spec.bootstrap.dataSecretName or spec.bootstrap.configRef to be populated"));
        }
        errors.AddRange(CoreRules.ClusterNameImmutable(spec, old?.Spec.ClusterName, obj.Spec.ClusterName));
        if (!string.IsNullOrEmpty(obj.Spec.Version))
            errors.AddRange(VersionRules.Validate(spec.Child("version"), obj.Spec.Version));
        var worker = !(obj.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) ?? false);
        errors.AddRange(TaintRules.Validate(obj.Spec.Taints, spec.Child("taints"), context.Options, worker));
        return Verdict(obj, errors);
    }
}
