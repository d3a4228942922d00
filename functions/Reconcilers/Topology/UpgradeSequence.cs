using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>CAPI's upgrade order for a managed topology: the control plane first; MachineDeployments only once the
/// control plane runs the new version everywhere, one at a time (or as many as the Cluster's
/// <c>topology.cluster.x-k8s.io/upgrade-concurrency</c> allows), in the Cluster's order, skipping those with
/// <c>defer-upgrade</c> and stopping at the first with <c>hold-upgrade-sequence</c>. A new control-plane version is
/// not picked up while MachineDeployments still roll out the previous one, and new MachineDeployments wait while the
/// control plane upgrades.</summary>
public static class UpgradeSequence
{
    public static void Decide(TopologyScope s)
    {
        var target = s.Topology.Version;
        var cp = s.CurrentControlPlane;
        var cpSpec = cp is null ? null : Framework.ExternalObjects.Text(cp, "spec", "version");
        var cpStatus = cp is null ? null : Framework.ExternalObjects.Text(cp, "status", "version");
        var cpRolling = cpStatus is not null && cpSpec is not null && cpStatus != cpSpec;

        if (cpSpec is null || cpSpec == target)
        {
            s.ControlPlaneVersion = target;
            s.ControlPlaneUpgrading = cpRolling;
        }
        else if (cpRolling || s.CurrentMachineDeployments.Values.Any(md => IsUpgrading(s, md)))
        {
            // The control plane still rolls out its current version, or workers still roll out theirs: wait.
            s.ControlPlaneVersion = cpSpec;
            s.ControlPlanePendingUpgrade = true;
        }
        else
        {
            s.ControlPlaneVersion = target;
            s.ControlPlaneUpgrading = true;
        }
        // Workers follow only a control plane that runs the target version everywhere (or has no Machines yet).
        var controlPlaneStable = cpSpec is null || cpSpec == target && (cpStatus is null || cpStatus == target);

        var concurrency = TemplateCloning.ValueOf(s.Cluster.Metadata.Annotations, TopologyMetadata.UpgradeConcurrencyAnnotation) is { } text
            && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 1;
        var upgrading = s.CurrentMachineDeployments.Values.Count(md => Version(md) == target && IsUpgrading(s, md));
        var held = false;
        foreach (var topology in s.Topology.Workers?.MachineDeployments ?? [])
        {
            var annotations = topology.Metadata?.Annotations;
            held |= annotations?.ContainsKey(TopologyMetadata.HoldUpgradeSequenceAnnotation) == true;
            if (!s.CurrentMachineDeployments.TryGetValue(topology.Name, out var md))
            {
                if (controlPlaneStable)
                    s.MachineDeploymentVersions[topology.Name] = target;
                else
                    s.PendingCreateMachineDeployments.Add(topology.Name);
                continue;
            }
            var current = Version(md);
            if (current == target)
            {
                s.MachineDeploymentVersions[topology.Name] = target;
                if (IsUpgrading(s, md)) s.UpgradingMachineDeployments.Add(md.Metadata.Name);
                continue;
            }
            s.MachineDeploymentVersions[topology.Name] = current;
            if (!controlPlaneStable)
                s.PendingUpgradeMachineDeployments.Add(md.Metadata.Name);
            else if (held || annotations?.ContainsKey(TopologyMetadata.DeferUpgradeAnnotation) == true)
                s.DeferredMachineDeployments.Add(md.Metadata.Name);
            else if (upgrading >= concurrency)
                s.PendingUpgradeMachineDeployments.Add(md.Metadata.Name);
            else
            {
                s.MachineDeploymentVersions[topology.Name] = target;
                s.UpgradingMachineDeployments.Add(md.Metadata.Name);
                upgrading++;
            }
        }
    }

    private static string Version(MachineDeployment md) => md.Spec.Template.Spec.Version ?? "";

    /// <summary>Whether a Machine of the MachineDeployment runs another version than the MachineDeployment asks for.</summary>
    private static bool IsUpgrading(TopologyScope s, MachineDeployment md)
    {
        var version = Version(md);
        return s.Machines.Any(m => TemplateCloning.ValueOf(m.Metadata.Labels, CapiLabels.DeploymentName) == md.Metadata.Name
                                   && m.Metadata.DeletionTimestamp is null && m.Spec.Version != version);
    }
}
