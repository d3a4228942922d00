using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>Remediation of Machines a MachineHealthCheck marked (HealthCheckSucceeded False, OwnerRemediated
/// False): the set deletes them, at most <c>spec.remediation.maxInFlight</c> of its MachineDeployment at a
/// time, and its replica count then brings replacements (CAPI's owner remediation).</summary>
public sealed partial class MachineSetReconciler
{
    private async Task<ReconcileResult> ReconcileUnhealthyMachinesAsync(MachineSetScope s, CancellationToken ct)
    {
        var machines = s.Machines!;
        var now = s.UtcNow;

        // A Machine that recovered before it was remediated no longer waits for its owner.
        for (var i = 0; i < machines.Count; i++)
        {
            var m = machines[i];
            if (MachineFacts.IsDeleting(m)) continue;
            if (Conditions.IsTrue(m.Status.Conditions, MachineConditions.HealthCheckSucceeded) && Conditions.IsFalse(m.Status.Conditions, MachineConditions.OwnerRemediated))
                machines[i] = await MachineConditionPatch.ApplyAsync(Kube, m, [], [MachineConditions.OwnerRemediated], now, ct) ?? m;
        }

        var plan = RemediationPlan.Compute(s.Set, s.Deployment, machines);
        foreach (var (machine, condition) in plan.Deferred)
            await MachineConditionPatch.ApplyAsync(Kube, machine, [condition], [], now, ct);
        foreach (var machine in plan.ToDelete)
        {
            // The condition goes first so a retried step still knows this deletion was a remediation.
            var marked = await MachineConditionPatch.ApplyAsync(Kube, machine, [RemediationPlan.Deleting()], [], now, ct);
            if (marked is null) continue;
            await DeleteMachineAsync(s.Set, machine, ct);
            Logger.LogInformation("Deleting Machine {Namespace}/{Machine} (remediating unhealthy Machine)", s.Namespace, machine.Metadata.Name);
        }
        return ReconcileResult.Done();
    }
}

/// <summary>Which marked Machines a set deletes now and which wait (pure).</summary>
public sealed record RemediationPlan(IReadOnlyList<Api.Machine> ToDelete, IReadOnlyList<(Api.Machine Machine, Condition Condition)> Deferred)
{
    public static Condition Deleting() => new()
    {
        Type = MachineConditions.OwnerRemediated,
        Status = ConditionStatus.False,
        Reason = MachineSetReasons.MachineRemediationMachineDeleting,
        Message = "Machine is deleting",
    };

    public static RemediationPlan Compute(MachineSet ms, MachineDeployment? deployment, IReadOnlyList<Api.Machine> machines)
    {
        var candidates = machines.Where(m => MachineFacts.IsUnhealthyAndOwnerRemediated(m) && !MachineFacts.IsDeleting(m)).ToList();
        if (candidates.Count == 0) return new RemediationPlan([], []);

        var maxInFlight = int.MaxValue;
        IntOrString? configured = null;
        if (deployment is not null)
        {
            // Only the current revision remediates; an old set's Machines go with the rollout anyway.
            if (Annotation(deployment, CapiAnnotations.Revision) != Annotation(ms, CapiAnnotations.Revision))
            {
                var cannot = new Condition
                {
                    Type = MachineConditions.OwnerRemediated,
                    Status = ConditionStatus.False,
                    Reason = MachineSetReasons.MachineCannotBeRemediated,
                    Message = "Machine won't be remediated because it is pending removal due to rollout",
                };
                return new RemediationPlan([], candidates.Select(m => (m, cannot)).ToList());
            }
            if (deployment.Spec.Remediation?.MaxInFlight is { } limit)
            {
                configured = limit;
                maxInFlight = limit.GetScaledValue(deployment.Spec.Replicas ?? 1, roundUp: true);
            }
        }

        maxInFlight -= machines.Count(m => MachineFacts.IsDeleting(m)
            && Conditions.Get(m.Status.Conditions, MachineConditions.OwnerRemediated) is { Status: ConditionStatus.False } c
            && c.Reason == MachineSetReasons.MachineRemediationMachineDeleting);

        var ordered = candidates
            .OrderByDescending(m => MachineFacts.HasAnnotation(m.Metadata, CapiAnnotations.RemediateMachine))
            .ThenByDescending(m => MachineFacts.CreatedAt(m.Metadata))
            .ThenBy(m => m.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var allowed = Math.Clamp(maxInFlight, 0, ordered.Count);
        var deferred = new Condition
        {
            Type = MachineConditions.OwnerRemediated,
            Status = ConditionStatus.False,
            Reason = MachineSetReasons.MachineRemediationDeferred,
            Message = $"Waiting because there are already too many remediations in progress (spec.strategy.remediation.maxInFlight is {configured})",
        };
        return new RemediationPlan(ordered.Take(allowed).ToList(), ordered.Skip(allowed).Select(m => (m, deferred)).ToList());
    }

    private static string? Annotation(k8s.IKubernetesObject<k8s.Models.V1ObjectMeta> obj, string key) =>
        obj.Metadata.Annotations?.TryGetValue(key, out var v) == true ? v : null;
}
