using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineDeployments;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>The UpToDate condition of Machines of a MachineDeployment, computed here for Machines that do not
/// carry one yet (CAPI's Machine controller sets it; until a Machine says so itself, the fleet counters and
/// the RollingOut condition would otherwise see no Machine up to date and no rollout ever complete).</summary>
/// <remarks>Works on copies: the Machines read in a step are never changed by it. A Machine's own condition
/// always wins.</remarks>
public static class UpToDateFallback
{
    public static IReadOnlyList<Api.Machine> Apply(IReadOnlyList<Api.Machine> machines, Func<Api.Machine, (MachineSet? Set, MachineDeployment? Deployment)> owners, DateTime now)
    {
        var result = new List<Api.Machine>(machines.Count);
        foreach (var m in machines)
        {
            var (set, deployment) = owners(m);
            if (Conditions.Get(m.Status.Conditions, MachineConditions.UpToDate) is not null || set is null || deployment is null)
            {
                result.Add(m);
                continue;
            }
            var copy = new Api.Machine { Metadata = m.Metadata, Spec = m.Spec, Status = ShallowStatus(m.Status) };
            copy.Status.Conditions = [.. m.Status.Conditions ?? [], Compute(m, set, deployment, now)];
            result.Add(copy);
        }
        return result;
    }

    /// <summary>The condition as CAPI computes it: the set's template against the deployment's, an expired
    /// rollout.after, then the kubelet version against the Machine's.</summary>
    public static Condition Compute(Api.Machine m, MachineSet set, MachineDeployment deployment, DateTime now)
    {
        var differences = MachineTemplates.Differences(set.Spec.Template.Spec, deployment.Spec.Template.Spec);
        if (MachineTemplates.RolloutAfterExpired(deployment, now) && MachineFacts.CreatedAt(set.Metadata) < DateTime.SpecifyKind(deployment.Spec.Rollout!.After!.Value, DateTimeKind.Utc))
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

    private static MachineStatus ShallowStatus(MachineStatus s) => new()
    {
        Conditions = s.Conditions,
        Initialization = s.Initialization,
        NodeRef = s.NodeRef,
        NodeInfo = s.NodeInfo,
        LastUpdated = s.LastUpdated,
        FailureDomain = s.FailureDomain,
        Addresses = s.Addresses,
        Phase = s.Phase,
        CertificatesExpiryDate = s.CertificatesExpiryDate,
        ObservedGeneration = s.ObservedGeneration,
        Deletion = s.Deletion,
        Deprecated = s.Deprecated,
        AdditionalProperties = s.AdditionalProperties,
    };
}
