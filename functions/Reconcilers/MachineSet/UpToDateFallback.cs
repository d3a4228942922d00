using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Rollout;

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
            copy.Status.Conditions = [.. m.Status.Conditions ?? [], MachineUpToDate.Compute(m, set, deployment, now)];
            result.Add(copy);
        }
        return result;
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
