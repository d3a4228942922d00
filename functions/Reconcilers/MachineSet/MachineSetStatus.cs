using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>What one MachineSet step observed, the input of its status.</summary>
/// <param name="Machines">The Machines the set controls, including those being deleted; null when they could
/// not be listed (the counters are then left as they were and the conditions say Unknown).</param>
public sealed record MachineSetFacts(
    IReadOnlyList<Api.Machine>? Machines,
    bool BootstrapTemplateNotFound,
    bool InfrastructureTemplateNotFound,
    string? BootstrapTemplateKind,
    string? InfrastructureTemplateKind,
    DateTime Now);

/// <summary>Computes a MachineSet's whole status (replica counters and v1beta2 conditions) in one place from
/// observed facts, with CAPI's reasons and messages.</summary>
public static class MachineSetStatusCalculator
{
    private static readonly TimeSpan StaleDeletion = TimeSpan.FromMinutes(15);
    private static readonly TimeSpan UpToDateGrace = TimeSpan.FromSeconds(10);

    public static void Apply(MachineSet ms, MachineSetFacts facts)
    {
        var status = ms.Status;
        status.Selector = ms.Spec.Selector.ToString();
        var now = facts.Now;
        var gen = ms.Metadata.Generation;

        if (facts.Machines is not { } machines)
        {
            foreach (var type in new[] { MachineSetConditions.ScalingUp, MachineSetConditions.ScalingDown, MachineSetConditions.MachinesReady,
                         MachineSetConditions.MachinesUpToDate, MachineSetConditions.Remediating, MachineSetConditions.Deleting })
                Conditions.Set(status, type, ConditionStatus.Unknown, CommonReasons.InternalError, "Please check controller logs for errors", gen, now);
            return;
        }

        status.Replicas = machines.Count;
        status.ReadyReplicas = machines.Count(MachineFacts.IsReady);
        status.AvailableReplicas = machines.Count(MachineFacts.IsAvailable);
        status.UpToDateReplicas = machines.Count(MachineFacts.IsUpToDate);
        status.Versions = Versions(machines);

        var deleting = ms.Metadata.DeletionTimestamp is not null;
        var desired = deleting ? 0 : ms.Spec.Replicas ?? 0;
        var current = machines.Count;
        SetScalingUp(ms, facts, desired, current, deleting, gen, now);
        SetScalingDown(ms, machines, desired, current, gen, now);
        Conditions.Set(status, MachinesReady(machines, MachineSetConditions.MachinesReady), now);
        Conditions.Set(status, MachinesUpToDate(machines, MachineSetConditions.MachinesUpToDate, now), now);
        Conditions.Set(status, Remediating(machines, MachineSetConditions.Remediating, "MachineSet"), now);
        SetDeleting(ms, machines, deleting, gen, now);
    }

    /// <summary>Replicas per Kubernetes version of the Machines (<c>status.versions</c>).</summary>
    public static List<StatusVersion>? Versions(IEnumerable<Api.Machine> machines)
    {
        var versions = machines.Where(m => !string.IsNullOrEmpty(m.Spec.Version))
            .GroupBy(m => m.Spec.Version!)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StatusVersion { Version = g.Key, Replicas = g.Count() })
            .ToList();
        return versions.Count == 0 ? null : versions;
    }

    /// <summary>The Ready conditions of the Machines aggregated (MachineSet and MachineDeployment alike).</summary>
    public static Condition MachinesReady(IReadOnlyList<Api.Machine> machines, string type)
    {
        if (machines.Count == 0)
            return new Condition { Type = type, Status = ConditionStatus.True, Reason = CommonReasons.NoReplicas };
        var merged = ConditionMerge.Aggregate(type, Sources(machines, MachineConditions.Ready), new MergeOptions
        {
            IssueReason = CommonReasons.NotReady,
            UnknownReason = CommonReasons.ReadyUnknown,
            InfoReason = CommonReasons.Ready,
        });
        return merged;
    }

    /// <summary>The UpToDate conditions aggregated; a Machine younger than 10 s without one is left out so the
    /// condition does not flicker right after a scale up.</summary>
    public static Condition MachinesUpToDate(IReadOnlyList<Api.Machine> machines, string type, DateTime now)
    {
        var considered = machines
            .Where(m => Conditions.Get(m.Status.Conditions, MachineConditions.UpToDate) is not null || now - MachineFacts.CreatedAt(m.Metadata) > UpToDateGrace)
            .ToList();
        if (considered.Count == 0)
            return new Condition { Type = type, Status = ConditionStatus.True, Reason = CommonReasons.NoReplicas };
        return ConditionMerge.Aggregate(type, Sources(considered, MachineConditions.UpToDate), new MergeOptions
        {
            IssueReason = CommonReasons.NotUpToDate,
            UnknownReason = CommonReasons.UpToDateUnknown,
            InfoReason = CommonReasons.UpToDate,
        });
    }

    /// <summary>True while Machines marked by a health check wait for their owner to replace them.</summary>
    public static Condition Remediating(IReadOnlyList<Api.Machine> machines, string type, string ownerKind)
    {
        var toRemediate = machines.Where(MachineFacts.IsUnhealthyAndOwnerRemediated).ToList();
        if (toRemediate.Count == 0)
        {
            var unhealthy = machines.Where(MachineFacts.IsUnhealthy).Select(m => m.Metadata.Name).ToList();
            var message = unhealthy.Count == 0
                ? ""
                : $"{Names("Machine", unhealthy)} {(unhealthy.Count == 1 ? "is" : "are")} not healthy (not to be remediated by {ownerKind})";
            return new Condition { Type = type, Status = ConditionStatus.False, Reason = CommonReasons.NotRemediating, Message = message };
        }
        var aggregate = ConditionMerge.Aggregate(type, Sources(toRemediate, MachineConditions.OwnerRemediated), new MergeOptions());
        return new Condition { Type = type, Status = ConditionStatus.True, Reason = CommonReasons.Remediating, Message = aggregate.Message };
    }

    /// <summary>"Machine a" or "Machines a, b, c, ... (n more)", names sorted.</summary>
    public static string Names(string kind, IEnumerable<string> names)
    {
        var sorted = names.OrderBy(n => n, StringComparer.Ordinal).ToList();
        var shown = string.Join(", ", sorted.Take(3));
        if (sorted.Count > 3) shown += $", ... ({sorted.Count - 3} more)";
        return (sorted.Count == 1 ? kind : kind + "s") + " " + shown;
    }

    /// <summary>A note on Machines deleting for more than 15 minutes, or "".</summary>
    public static string StaleDeletions(IEnumerable<Api.Machine> machines, DateTime now)
    {
        var stale = machines
            .Where(m => m.Metadata.DeletionTimestamp is { } t && now - DateTime.SpecifyKind(t, DateTimeKind.Utc) > StaleDeletion)
            .Select(m => m.Metadata.Name)
            .ToList();
        return stale.Count == 0 ? "" : $"{Names("Machine", stale)} {(stale.Count == 1 ? "is" : "are")} in deletion since more than 15m";
    }

    private static void SetScalingUp(MachineSet ms, MachineSetFacts facts, int desired, int current, bool deleting, long? gen, DateTime now)
    {
        var missing = MissingTemplates(facts);
        if (current >= desired)
        {
            var message = !deleting && missing.Length > 0 ? $"Scaling up would be blocked because {missing}" : "";
            Conditions.Set(ms.Status, MachineSetConditions.ScalingUp, ConditionStatus.False, MachineSetReasons.NotScalingUp, message, gen, now);
            return;
        }
        var text = $"Scaling up from {current} to {desired} replicas";
        if (missing.Length > 0) text += $" is blocked because:\n* {missing}";
        Conditions.Set(ms.Status, MachineSetConditions.ScalingUp, ConditionStatus.True, MachineSetReasons.ScalingUp, text, gen, now);
    }

    private static void SetScalingDown(MachineSet ms, IReadOnlyList<Api.Machine> machines, int desired, int current, long? gen, DateTime now)
    {
        if (current > desired)
        {
            var message = $"Scaling down from {current} to {desired} replicas";
            if (StaleDeletions(machines, now) is { Length: > 0 } stale) message += $"\n* {stale}";
            Conditions.Set(ms.Status, MachineSetConditions.ScalingDown, ConditionStatus.True, MachineSetReasons.ScalingDown, message, gen, now);
            return;
        }
        Conditions.Set(ms.Status, MachineSetConditions.ScalingDown, ConditionStatus.False, MachineSetReasons.NotScalingDown, "", gen, now);
    }

    private static void SetDeleting(MachineSet ms, IReadOnlyList<Api.Machine> machines, bool deleting, long? gen, DateTime now)
    {
        if (!deleting)
        {
            Conditions.Set(ms.Status, MachineSetConditions.Deleting, ConditionStatus.False, MachineSetReasons.NotDeleting, "", gen, now);
            return;
        }
        var message = machines.Count switch
        {
            0 => "Deletion completed",
            1 => "Deleting 1 Machine",
            var n => $"Deleting {n} Machines",
        };
        if (StaleDeletions(machines, now) is { Length: > 0 } stale) message += $"\n* {stale}";
        Conditions.Set(ms.Status, MachineSetConditions.Deleting, ConditionStatus.True, MachineSetReasons.Deleting, message, gen, now);
    }

    private static string MissingTemplates(MachineSetFacts facts)
    {
        var missing = new List<string>();
        if (facts.BootstrapTemplateNotFound) missing.Add(facts.BootstrapTemplateKind ?? "bootstrap template");
        if (facts.InfrastructureTemplateNotFound) missing.Add(facts.InfrastructureTemplateKind ?? "infrastructure template");
        return missing.Count switch
        {
            0 => "",
            1 => $"{missing[0]} does not exist",
            _ => $"{string.Join(" and ", missing)} do not exist",
        };
    }

    private static List<OwnedCondition> Sources(IEnumerable<Api.Machine> machines, string type) =>
        machines.Select(m => new OwnedCondition("Machine", m.Metadata.Name, ConditionMerge.OrNotYetReported(m.Status.Conditions, type))).ToList();
}
