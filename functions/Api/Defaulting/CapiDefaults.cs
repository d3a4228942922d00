using System.Globalization;
using System.Text.Json.Nodes;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>The defaults CAPI's mutating admission webhooks fill in, as pure functions. No webhook runs in
/// front of the embedded API server (nor in a cluster without CAPI installed), so reconcilers apply them
/// to what they read.</summary>
public static class CapiDefaults
{
    public const int MachineDeploymentReplicas = 1;
    public const int KubeadmControlPlaneReplicas = 1;
    public const int NodeStartupTimeoutSeconds = 600;
    public const int NodeDeletionTimeoutSeconds = 10;
    public static readonly IntOrString MaxSurge = 1;
    public static readonly IntOrString MaxUnavailable = 0;
    public static readonly IntOrString UnhealthyLessThanOrEqualTo = "100%";

    /// <summary>Applies the defaults of the object's kind in place; <paramref name="old"/> is the stored
    /// object on an update (it matters for autoscaler-managed replicas). Returns true when anything changed.</summary>
    public static bool Apply(KubeObject obj, KubeObject? old = null)
    {
        var before = Manifests.ToJson(obj);
        switch (obj)
        {
            case Cluster c:
                Default(c);
                break;
            case Machine m:
                Default(m);
                break;
            case MachineSet ms:
                Default(ms, old as MachineSet);
                break;
            case MachineDeployment md:
                Default(md, old as MachineDeployment);
                break;
            case MachinePool mp:
                Default(mp, old as MachinePool);
                break;
            case MachineHealthCheck mhc:
                Default(mhc);
                break;
            case KubeadmControlPlane kcp:
                Default(kcp);
                break;
            default:
                return false;
        }
        return !JsonNode.DeepEquals(before, Manifests.ToJson(obj));
    }

    public static void Default(Cluster cluster)
    {
        if (cluster.Spec.Topology is { } topology && topology.Version.Length > 0)
            topology.Version = WithVPrefix(topology.Version)!;
    }

    public static void Default(Machine machine)
    {
        SetClusterNameLabel(machine.Metadata, machine.Spec.ClusterName);
        machine.Spec.Version = WithVPrefix(machine.Spec.Version);
        machine.Spec.Deletion ??= new MachineDeletionSpec();
        machine.Spec.Deletion.NodeDeletionTimeoutSeconds ??= NodeDeletionTimeoutSeconds;
    }

    public static void Default(MachineSet set, MachineSet? old = null)
    {
        SetClusterNameLabel(set.Metadata, set.Spec.ClusterName);
        set.Spec.Replicas = DefaultReplicas(set.Spec.Replicas, set.Metadata, old?.Spec.Replicas, old is not null);
        var selector = set.Spec.Selector;
        selector.MatchLabels ??= [];
        var template = set.Spec.Template.Metadata ??= new ObjectMeta();
        template.Labels ??= [];
        if (selector.IsEmpty)
        {
            var value = LabelValues.Format(set.Metadata.Name ?? "");
            selector.MatchLabels[CapiLabels.SetName] = value;
            template.Labels[CapiLabels.SetName] = value;
        }
        set.Spec.Template.Spec.Version = WithVPrefix(set.Spec.Template.Spec.Version);
    }

    /// <summary>CAPI's MachinePool defaults: the cluster-name label, replicas (as a MachineSet's), the node deletion
    /// timeout of the pool's Machines and the version prefix.</summary>
    public static void Default(MachinePool pool, MachinePool? old = null)
    {
        SetClusterNameLabel(pool.Metadata, pool.Spec.ClusterName);
        pool.Spec.Replicas = DefaultReplicas(pool.Spec.Replicas, pool.Metadata, old?.Spec.Replicas, old is not null);
        var template = pool.Spec.Template.Spec;
        template.Deletion ??= new MachineDeletionSpec();
        template.Deletion.NodeDeletionTimeoutSeconds ??= NodeDeletionTimeoutSeconds;
        template.Version = WithVPrefix(template.Version);
    }

    public static void Default(MachineDeployment deployment, MachineDeployment? old = null)
    {
        var spec = deployment.Spec;
        SetClusterNameLabel(deployment.Metadata, spec.ClusterName);
        spec.Replicas = DefaultReplicas(spec.Replicas, deployment.Metadata, old?.Spec.Replicas, old is not null);
        spec.Selector.MatchLabels ??= [];
        var rollout = spec.Rollout ??= new MachineDeploymentRolloutSpec();
        var strategy = rollout.Strategy ??= new MachineDeploymentRolloutStrategy();
        if (string.IsNullOrEmpty(strategy.Type))
            strategy.Type = RolloutStrategyType.RollingUpdate;
        var template = spec.Template.Metadata ??= new ObjectMeta();
        template.Labels ??= [];
        if (strategy.Type == RolloutStrategyType.RollingUpdate)
        {
            var rolling = strategy.RollingUpdate ??= new MachineRollingUpdate();
            rolling.MaxSurge ??= MaxSurge;
            rolling.MaxUnavailable ??= MaxUnavailable;
        }
        if (spec.Selector.IsEmpty)
        {
            spec.Selector.MatchLabels[CapiLabels.DeploymentName] = deployment.Metadata.Name ?? "";
            template.Labels[CapiLabels.DeploymentName] = deployment.Metadata.Name ?? "";
        }
        spec.Selector.MatchLabels[CapiLabels.ClusterName] = spec.ClusterName;
        template.Labels[CapiLabels.ClusterName] = spec.ClusterName;
        spec.Template.Spec.Version = WithVPrefix(spec.Template.Spec.Version);
    }

    public static void Default(MachineHealthCheck check)
    {
        SetClusterNameLabel(check.Metadata, check.Spec.ClusterName);
        var checks = check.Spec.Checks ??= new MachineHealthCheckChecks();
        checks.NodeStartupTimeoutSeconds ??= NodeStartupTimeoutSeconds;
        var remediation = check.Spec.Remediation ??= new MachineHealthCheckRemediation();
        var triggerIf = remediation.TriggerIf ??= new MachineHealthCheckRemediationTriggerIf();
        if (string.IsNullOrEmpty(triggerIf.UnhealthyInRange))
            triggerIf.UnhealthyLessThanOrEqualTo ??= UnhealthyLessThanOrEqualTo;
    }

    public static void Default(KubeadmControlPlane controlPlane)
    {
        var spec = controlPlane.Spec;
        spec.Replicas ??= KubeadmControlPlaneReplicas;
        spec.Version = WithVPrefix(spec.Version) ?? "";
        var rollout = spec.Rollout ??= new KubeadmControlPlaneRolloutSpec();
        var strategy = rollout.Strategy ??= new KubeadmControlPlaneRolloutStrategy();
        strategy.Type = RolloutStrategyType.RollingUpdate;
        var rolling = strategy.RollingUpdate ??= new KubeadmControlPlaneRollingUpdate();
        rolling.MaxSurge ??= MaxSurge;
    }

    /// <summary>Replicas as CAPI defaults them: kept when set; from the autoscaler min/max annotations when
    /// both are present (min on create, the old value clamped into [min, max] on update); otherwise 1.</summary>
    public static int DefaultReplicas(int? replicas, V1ObjectMeta metadata, int? oldReplicas, bool isUpdate)
    {
        if (replicas is { } r)
            return r;
        var annotations = metadata.Annotations;
        if (annotations is not null
            && annotations.TryGetValue(CapiAnnotations.AutoscalerMinSize, out var minText)
            && annotations.TryGetValue(CapiAnnotations.AutoscalerMaxSize, out var maxText))
        {
            if (!int.TryParse(minText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var min))
                throw new FormatException($"Annotation {CapiAnnotations.AutoscalerMinSize} is not an integer: '{minText}'.");
            if (!int.TryParse(maxText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var max))
                throw new FormatException($"Annotation {CapiAnnotations.AutoscalerMaxSize} is not an integer: '{maxText}'.");
            if (!isUpdate || oldReplicas is null || oldReplicas < min)
                return min;
            return oldReplicas > max ? max : oldReplicas.Value;
        }
        return MachineDeploymentReplicas;
    }

    /// <summary>Kubernetes versions are written with a leading <c>v</c>; CAPI tolerates input without one.</summary>
    public static string? WithVPrefix(string? version) =>
        string.IsNullOrEmpty(version) || version.StartsWith('v') ? version : "v" + version;

    private static void SetClusterNameLabel(V1ObjectMeta metadata, string clusterName)
    {
        metadata.Labels ??= new Dictionary<string, string>();
        metadata.Labels[CapiLabels.ClusterName] = clusterName;
    }
}
