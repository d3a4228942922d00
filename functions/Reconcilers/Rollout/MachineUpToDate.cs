using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Rollout;

/// <summary>A Machine's UpToDate condition: the one computation, used by the MachineSet that writes it on its Machines
/// (as CAPI's MachineSet controller does; only the set knows its deployment's template) and by the fleet counters for
/// Machines that do not carry it yet (pure).</summary>
public static class MachineUpToDate
{
    /// <summary>The condition as CAPI computes it: the set's template against the deployment's, an expired
    /// rollout.after, then the kubelet version against the Machine's.</summary>
    public static Condition Compute(Api.Machine m, MachineSet set, MachineDeployment deployment, DateTime now)
    {
        var differences = MachineTemplates.Differences(set.Spec.Template.Spec, deployment.Spec.Template.Spec);
        if (MachineTemplates.RolloutAfterExpired(deployment, now) && CreatedAt(set) < DateTime.SpecifyKind(deployment.Spec.Rollout!.After!.Value, DateTimeKind.Utc))
            differences.Add("MachineDeployment spec.rolloutAfter expired");
        if (differences.Count > 0)
        {
            return new Condition
            {
                Type = MachineConditions.UpToDate,
                Status = ConditionStatus.False,
                Reason = MachineReasons.NotUpToDate,
                Message = string.Join("\n", differences.Select(d => $"* {d}")),
            };
        }
        var kubelet = m.Status.NodeInfo?.KubeletVersion;
        if (!string.IsNullOrEmpty(kubelet) && kubelet != m.Spec.Version)
        {
            return new Condition
            {
                Type = MachineConditions.UpToDate,
                Status = ConditionStatus.False,
                Reason = MachineReasons.UpToDateUpdating,
                Message = $"* Node.status.nodeInfo.kubeletVersion {kubelet}, {m.Spec.Version} required",
            };
        }
        return new Condition { Type = MachineConditions.UpToDate, Status = ConditionStatus.True, Reason = MachineReasons.UpToDate };
    }

    private static DateTime CreatedAt(MachineSet set) =>
        set.Metadata.CreationTimestamp is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : DateTime.MinValue;
}
