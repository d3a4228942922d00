using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's KubeadmControlPlane webhooks: replicas 1, version prefix, the RollingUpdate strategy with maxSurge 1;
/// positive and (with stacked etcd) odd replicas, a complete infrastructure reference, a semantic version, the rollout
/// and certificate settings, and on update only the fields CAPI lets change, at most one minor version up.</summary>
public sealed class KubeadmControlPlaneWebhook() : KindWebhook<KubeadmControlPlane>(CapiGroups.ControlPlane, KubeadmControlPlane.KubeKind, "kubeadmcontrolplanes")
{
    // Paths CAPI lets change on update; "*" admits everything below.
    private static readonly string[][] Mutable =
    [
        ["metadata", "*"],
        .. Under(["spec", "kubeadmConfigSpec", "clusterConfiguration"],
            ["etcd"], ["etcd", "*"], ["dns"], ["dns", "*"], ["imageRepository"], ["featureGates"], ["featureGates", "*"], ["apiServer"],
            ["apiServer", "*"], ["controllerManager"], ["controllerManager", "*"], ["scheduler"], ["scheduler", "*"],
            ["certificateValidityPeriodDays"], ["encryptionAlgorithm"]),
        .. Under(["spec", "kubeadmConfigSpec", "initConfiguration"],
            ["nodeRegistration"], ["nodeRegistration", "*"], ["patches", "directory"], ["patches"], ["skipPhases"], ["bootstrapTokens"],
            ["localAPIEndpoint"], ["localAPIEndpoint", "*"], ["timeouts"], ["timeouts", "*"]),
        .. Under(["spec", "kubeadmConfigSpec", "joinConfiguration"],
            ["nodeRegistration"], ["nodeRegistration", "*"], ["patches", "directory"], ["patches"], ["skipPhases"], ["caCertPath"],
            ["controlPlane"], ["controlPlane", "*"], ["discovery"], ["discovery", "*"], ["timeouts"], ["timeouts", "*"]),
        .. Under(["spec", "kubeadmConfigSpec"],
            ["bootCommands"], ["preKubeadmCommands"], ["postKubeadmCommands"], ["files"], ["verbosity"], ["users"], ["ntp"], ["ntp", "*"],
            ["ignition"], ["ignition", "*"], ["diskSetup"], ["diskSetup", "*"], ["format"], ["mounts"]),
        .. Under(["spec", "machineTemplate"], ["metadata"], ["metadata", "*"], ["spec"], ["spec", "*"]),
        .. Under(["spec"], ["replicas"], ["version"], ["remediation"], ["remediation", "*"], ["machineNaming"], ["machineNaming", "*"],
            ["rollout"], ["rollout", "*"]),
    ];

    /// <summary>CAPI's KubeadmControlPlane webhooks name the core group in their Invalid status.</summary>
    protected override string StatusGroup => CapiGroups.Core;

    protected override IReadOnlyList<FieldError> Default(KubeadmControlPlane obj, KubeadmControlPlane? old, AdmissionContext context)
    {
        var spec = obj.Spec;
        spec.Replicas ??= CapiDefaults.KubeadmControlPlaneReplicas;
        if (!spec.Version.StartsWith('v'))
            spec.Version = "v" + spec.Version;
        var strategy = (spec.Rollout ??= new KubeadmControlPlaneRolloutSpec()).Strategy ??= new KubeadmControlPlaneRolloutStrategy();
        strategy.Type = RolloutStrategyType.RollingUpdate;
        (strategy.RollingUpdate ??= new KubeadmControlPlaneRollingUpdate()).MaxSurge ??= CapiDefaults.MaxSurge;
        return [];
    }

    protected override AdmissionVerdict Validate(KubeadmControlPlane obj, KubeadmControlPlane? old, AdmissionContext context)
    {
        var configPath = FieldPath.Root("spec", "kubeadmConfigSpec");
        var errors = new List<FieldError>();
        errors.AddRange(Spec(obj.Spec, FieldPath.Root("spec")));
        errors.AddRange(TaintRules.Validate(obj.Spec.MachineTemplate.Spec.Taints, FieldPath.Root("spec", "machineTemplate", "spec", "taints"), context.Options, worker: false));
        if (old is not null)
        {
            foreach (var path in JsonDiff.ChangedPaths(Manifests.ToJson(old), Manifests.ToJson(obj)))
            {
                if (path.Length > 0 && !Mutable.Any(allowed => Matches(allowed, path)))
                    errors.Add(FieldError.Forbidden(FieldPath.Root(path[0], path[1..]), "cannot be modified"));
            }
            errors.AddRange(VersionStep(old.Spec.Version, obj.Spec.Version));
        }
        errors.AddRange(KubeadmControlPlaneRules.ClusterConfiguration(old?.Spec.KubeadmConfigSpec?.ClusterConfiguration,
            obj.Spec.KubeadmConfigSpec?.ClusterConfiguration, configPath.Child("clusterConfiguration"), old is not null));
        errors.AddRange(KubeadmConfigRules.Validate(obj.Spec.KubeadmConfigSpec, true, configPath, context.Options));
        return Verdict(obj, errors);
    }

    private static List<FieldError> Spec(KubeadmControlPlaneSpec spec, FieldPath path)
    {
        var errors = new List<FieldError>();
        if (spec.Replicas is not { } replicas)
            errors.Add(FieldError.Required(path.Child("replicas"), "is required"));
        else if (replicas <= 0)
            errors.Add(FieldError.Forbidden(path.Child("replicas"), "cannot be less than or equal to 0"));
        if (!KubeadmControlPlaneRules.HasExternalEtcd(spec.KubeadmConfigSpec) && spec.Replicas is { } r && r % 2 == 0)
            errors.Add(FieldError.Forbidden(path.Child("replicas"), "cannot be an even number when etcd is stacked"));
        // CAPI reports these under "machineTemplate.infrastructure", not the field's own name.
        var reference = spec.MachineTemplate.Spec.InfrastructureRef;
        var infrastructure = path.Child("machineTemplate", "infrastructure");
        if (reference.ApiGroup.Length == 0)
            errors.Add(FieldError.Invalid(infrastructure.Child("apiGroup"), reference.ApiGroup, "cannot be empty"));
        if (reference.Kind.Length == 0)
            errors.Add(FieldError.Invalid(infrastructure.Child("kind"), reference.Kind, "cannot be empty"));
        if (reference.Name.Length == 0)
            errors.Add(FieldError.Invalid(infrastructure.Child("name"), reference.Name, "cannot be empty"));
        errors.AddRange(LabelRules.ValidateTemplateMetadata(spec.MachineTemplate.Metadata, path.Child("machineTemplate", "metadata")));
        errors.AddRange(VersionRules.Validate(path.Child("version"), spec.Version));
        errors.AddRange(KubeadmControlPlaneRules.Rollout(spec.Rollout, spec.KubeadmConfigSpec?.ClusterConfiguration, spec.Replicas, path));
        errors.AddRange(CoreRules.MachineNaming(spec.MachineNaming, path.Child("machineNaming")));
        return errors;
    }

    /// <summary>At most one minor version up per update (any patch of the next minor); downgrades are CAPI's to allow.</summary>
    private static IEnumerable<FieldError> VersionStep(string from, string to)
    {
        var path = FieldPath.Root("spec", "version");
        if (Semver.ParseTolerant(from) is not { } fromVersion)
        {
            yield return FieldError.Internal(path, $"failed to parse current kubeadmcontrolplane version: {from}");
            yield break;
        }
        if (Semver.ParseTolerant(to) is not { } toVersion)
        {
            yield return FieldError.Internal(path, $"failed to parse updated kubeadmcontrolplane version: {to}");
            yield break;
        }
        if (toVersion.CompareCore(new Semver(fromVersion.Major, fromVersion.Minor + 2, 0, "")) >= 0)
            yield return FieldError.Forbidden(path, $"cannot update Kubernetes version from {from} to {to}");
    }

    private static bool Matches(string[] allowed, string[] path)
    {
        var i = 0;
        for (; i < path.Length; i++)
        {
            if (i > allowed.Length - 1)
                return false;
            if (allowed[i] == "*")
                return true;
            if (path[i] != allowed[i])
                return false;
        }
        return i - 1 >= allowed.Length - 1;
    }

    private static IEnumerable<string[]> Under(string[] prefix, params string[][] paths) => paths.Select(p => prefix.Concat(p).ToArray());
}
