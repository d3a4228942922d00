using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineSets;

namespace ServerlessCapi.Reconcilers.MachineDeployments;

/// <summary>Computes a MachineDeployment's whole status (counters from its sets, phase, v1beta2 conditions) in
/// one place from observed facts, with CAPI's reasons and messages.</summary>
public static class MachineDeploymentStatusCalculator
{
    public static void Apply(MachineDeployment md, MachineDeploymentScope s)
    {
        var status = md.Status;
        var now = s.UtcNow;
        var gen = md.Metadata.Generation;
        status.Selector = md.Spec.Selector.ToString();
        var sets = s.Sets;
        if (sets is null)
        {
            status.Phase = MachineDeploymentPhase.Unknown;
            foreach (var type in new[] { MachineDeploymentConditions.Available, MachineDeploymentConditions.ScalingUp,
                         MachineDeploymentConditions.ScalingDown, MachineDeploymentConditions.Deleting })
                Conditions.Set(status, type, ConditionStatus.Unknown, CommonReasons.InternalError, "Please check controller logs for errors", gen, now);
            return;
        }

        status.Replicas = sets.Sum(x => x.Status.Replicas ?? 0);
        status.ReadyReplicas = sets.Sum(x => x.Status.ReadyReplicas ?? 0);
        status.AvailableReplicas = sets.Sum(x => x.Status.AvailableReplicas ?? 0);
        status.UpToDateReplicas = sets.Sum(x => x.Status.UpToDateReplicas ?? 0);
        status.Versions = Versions(sets);

        var deleting = md.Metadata.DeletionTimestamp is not null;
        var desired = md.Spec.Replicas ?? 0;
        var current = status.Replicas.Value;
        status.Phase = deleting ? MachineDeploymentPhase.ScalingDown
            : desired == current ? MachineDeploymentPhase.Running
            : desired < current ? MachineDeploymentPhase.ScalingDown
            : MachineDeploymentPhase.ScalingUp;

        SetAvailable(md, deleting, gen, now);
        var machines = s.Machines ?? [];
        SetRollingOut(md, machines, gen, now);
        SetScalingUp(md, s, deleting ? 0 : desired, current, deleting, gen, now);
        SetScalingDown(md, machines, deleting ? 0 : desired, current, gen, now);
        if (s.Machines is not null)
        {
            Conditions.Set(status, MachineSetStatusCalculator.MachinesReady(machines, MachineDeploymentConditions.MachinesReady), now);
            Conditions.Set(status, MachineSetStatusCalculator.MachinesUpToDate(machines, MachineDeploymentConditions.MachinesUpToDate, now), now);
            Conditions.Set(status, MachineSetStatusCalculator.Remediating(machines, MachineDeploymentConditions.Remediating, "MachineDeployment/MachineSet"), now);
        }
        SetDeleting(md, sets, machines, deleting, gen, now);
    }

    private static List<StatusVersion>? Versions(IEnumerable<MachineSet> sets)
    {
        var versions = sets.SelectMany(x => x.Status.Versions ?? [])
            .GroupBy(v => v.Version)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StatusVersion { Version = g.Key, Replicas = g.Sum(v => v.Replicas ?? 0) })
            .ToList();
        return versions.Count == 0 ? null : versions;
    }

    private static void SetAvailable(MachineDeployment md, bool deleting, long? gen, DateTime now)
    {
        var bounds = RolloutBounds.For(md);
        var minimum = (md.Spec.Replicas ?? 0) - bounds.MaxUnavailable;
        var available = md.Status.AvailableReplicas ?? 0;
        if (available >= minimum)
        {
            Conditions.Set(md.Status, MachineDeploymentConditions.Available, ConditionStatus.True, MachineDeploymentReasons.Available, "", gen, now);
            return;
        }
        var message = $"{available} available replicas, at least {minimum} required";
        if (md.Spec.Rollout?.Strategy?.Type == RolloutStrategyType.RollingUpdate)
            message += $" (spec.strategy.rollout.maxUnavailable is {md.Spec.Rollout.Strategy.RollingUpdate?.MaxUnavailable}, spec.replicas is {md.Spec.Replicas ?? 0})";
        if (deleting) message = "Deletion in progress";
        Conditions.Set(md.Status, MachineDeploymentConditions.Available, ConditionStatus.False, MachineDeploymentReasons.NotAvailable, message, gen, now);
    }

    private static void SetRollingOut(MachineDeployment md, IReadOnlyList<Api.Machine> machines, long? gen, DateTime now)
    {
        var rolling = machines.Select(m => Conditions.Get(m.Status.Conditions, MachineConditions.UpToDate))
            .Where(c => c?.Status == ConditionStatus.False)
            .ToList();
        if (rolling.Count == 0)
        {
            Conditions.Set(md.Status, MachineDeploymentConditions.RollingOut, ConditionStatus.False, MachineDeploymentReasons.NotRollingOut, "", gen, now);
            return;
        }
        var reasons = rolling.SelectMany(c => c!.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(r => r.StartsWith("* Version", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(r => r, StringComparer.Ordinal)
            .ToList();
        var message = $"Rolling out {rolling.Count} not up-to-date replicas";
        if (reasons.Count > 0) message += "\n" + string.Join("\n", reasons);
        Conditions.Set(md.Status, MachineDeploymentConditions.RollingOut, ConditionStatus.True, MachineDeploymentReasons.RollingOut, message, gen, now);
    }

    private static void SetScalingUp(MachineDeployment md, MachineDeploymentScope s, int desired, int current, bool deleting, long? gen, DateTime now)
    {
        var missing = new List<string>();
        if (s.BootstrapTemplateNotFound) missing.Add(md.Spec.Template.Spec.Bootstrap.ConfigRef?.Kind ?? "bootstrap template");
        if (s.InfrastructureTemplateNotFound) missing.Add(md.Spec.Template.Spec.InfrastructureRef.Kind);
        var because = missing.Count switch
        {
            0 => "",
            1 => $"because {missing[0]} does not exist",
            _ => $"because {string.Join(" and ", missing)} do not exist",
        };
        if (current >= desired)
        {
            var message = !deleting && because.Length > 0 ? $"Scaling up would be blocked {because}" : "";
            Conditions.Set(md.Status, MachineDeploymentConditions.ScalingUp, ConditionStatus.False, MachineDeploymentReasons.NotScalingUp, message, gen, now);
            return;
        }
        var text = $"Scaling up from {current} to {desired} replicas";
        if (because.Length > 0) text += $" is blocked {because}";
        Conditions.Set(md.Status, MachineDeploymentConditions.ScalingUp, ConditionStatus.True, MachineDeploymentReasons.ScalingUp, text, gen, now);
    }

    private static void SetScalingDown(MachineDeployment md, IReadOnlyList<Api.Machine> machines, int desired, int current, long? gen, DateTime now)
    {
        if (current > desired)
        {
            var message = $"Scaling down from {current} to {desired} replicas";
            if (MachineSetStatusCalculator.StaleDeletions(machines, now) is { Length: > 0 } stale) message += $"\n* {stale}";
            Conditions.Set(md.Status, MachineDeploymentConditions.ScalingDown, ConditionStatus.True, MachineDeploymentReasons.ScalingDown, message, gen, now);
            return;
        }
        Conditions.Set(md.Status, MachineDeploymentConditions.ScalingDown, ConditionStatus.False, MachineDeploymentReasons.NotScalingDown, "", gen, now);
    }

    private static void SetDeleting(MachineDeployment md, List<MachineSet> sets, List<Api.Machine> machines, bool deleting, long? gen, DateTime now)
    {
        if (!deleting)
        {
            Conditions.Set(md.Status, MachineDeploymentConditions.Deleting, ConditionStatus.False, MachineDeploymentReasons.NotDeleting, "", gen, now);
            return;
        }
        var message = machines.Count switch
        {
            0 when sets.Count > 0 => $"Deleting {sets.Count} MachineSets",
            0 => "Deletion completed",
            1 => "Deleting 1 Machine",
            var n => $"Deleting {n} Machines",
        };
        if (MachineSetStatusCalculator.StaleDeletions(machines, now) is { Length: > 0 } stale) message += $"\n* {stale}";
        Conditions.Set(md.Status, MachineDeploymentConditions.Deleting, ConditionStatus.True, MachineDeploymentReasons.Deleting, message, gen, now);
    }
}
