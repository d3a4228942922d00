using k8s.Models;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.MachineHealthChecks;

/// <summary>How a health check sees the Cluster: whether (and since when) its control plane is initialized and
/// its infrastructure ready.</summary>
public sealed record ClusterHealthFacts(bool ControlPlaneInitialized, DateTime? ControlPlaneInitializedAt, bool InfrastructureReady, DateTime? InfrastructureReadyAt)
{
    public static ClusterHealthFacts Of(Api.Cluster cluster)
    {
        var cp = Conditions.Get(cluster.Status.Conditions, ClusterConditions.ControlPlaneInitialized);
        var infra = Conditions.Get(cluster.Status.Conditions, ClusterConditions.InfrastructureReady);
        var cpInitialized = cp?.Status == ConditionStatus.True || (cp is null && cluster.Status.Initialization?.ControlPlaneInitialized == true);
        var infraReady = infra?.Status == ConditionStatus.True || (infra is null && cluster.Status.Initialization?.InfrastructureProvisioned == true);
        return new ClusterHealthFacts(cpInitialized, cp?.LastTransitionTime, infraReady, infra?.LastTransitionTime);
    }
}

/// <summary>One Machine to check and its Node as observed in the workload cluster.</summary>
/// <param name="Node">The Node named by <c>status.nodeRef</c>, when it exists.</param>
/// <param name="NodeMissing">The Machine names a Node the workload cluster does not have (it was deleted).</param>
/// <param name="NodeUnobservable">The Machine names a Node but the workload cluster could not be asked.</param>
public sealed record HealthTarget(Api.Machine Machine, V1Node? Node, bool NodeMissing = false, bool NodeUnobservable = false);

/// <summary>The outcome for one target.</summary>
public enum HealthState
{
    /// <summary>Every check passes and the Node exists.</summary>
    Healthy,
    /// <summary>A check failed for longer than its timeout: remediate.</summary>
    Unhealthy,
    /// <summary>Not (yet) decidable: waiting for a Node, a timeout still running, or the cluster not ready. Not
    /// counted as healthy, like CAPI.</summary>
    Pending,
}

/// <param name="NextCheck">When a running timeout expires (the next moment the verdict can change on its own).</param>
public sealed record HealthVerdict(Api.Machine Machine, HealthState State, string? Reason, string? Message, DateTime? NextCheck);

/// <summary>Decides whether one Machine needs remediation (pure; CAPI's MachineHealthCheck target checks).</summary>
public static class HealthEvaluator
{
    public static HealthVerdict Evaluate(HealthTarget target, MachineHealthCheckChecks checks, ClusterHealthFacts cluster, DateTime now)
    {
        var m = target.Machine;
        if (m.Metadata.Annotations?.ContainsKey(CapiAnnotations.RemediateMachine) == true)
        {
            return new HealthVerdict(m, HealthState.Unhealthy, MachineReasons.HealthCheckHasRemediateAnnotation,
                "Health check failed: marked for remediation via cluster.x-k8s.io/remediate-machine annotation", null);
        }
        var controlPlane = m.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) == true;
        if ((!cluster.ControlPlaneInitialized && !controlPlane) || !cluster.InfrastructureReady)
            return new HealthVerdict(m, HealthState.Pending, null, null, null);

        var machineFailures = new List<string>();
        var next = new List<DateTime>();
        foreach (var c in checks.UnhealthyMachineConditions ?? [])
        {
            var condition = Conditions.Get(m.Status.Conditions, c.Type);
            if (condition is null || condition.Status != c.Status) continue;
            Check(c.Type, c.Status, condition.Reason, Utc(condition.LastTransitionTime), c.TimeoutSeconds, "Machine", now, machineFailures, next);
        }
        if (machineFailures.Count > 0) return Unhealthy(m, MachineReasons.HealthCheckUnhealthyMachine, machineFailures);

        var (nodeReason, nodeFailures) = NodeChecks(target, checks, cluster, now, next);
        if (nodeFailures.Count > 0) return Unhealthy(m, nodeReason!, nodeFailures);

        DateTime? nextCheck = next.Count > 0 ? next.Min() : null;
        var healthy = m.Metadata.DeletionTimestamp is null && target.Node is not null && nextCheck is null;
        return new HealthVerdict(m, healthy ? HealthState.Healthy : HealthState.Pending, null, null, nextCheck);
    }

    private static (string? Reason, List<string> Failures) NodeChecks(HealthTarget target, MachineHealthCheckChecks checks, ClusterHealthFacts cluster,
        DateTime now, List<DateTime> next)
    {
        var m = target.Machine;
        var failures = new List<string>();
        if (target.NodeMissing)
            return (MachineReasons.HealthCheckNodeDeleted, [$"Node {m.Status.NodeRef?.Name} has been deleted"]);
        if (target.NodeUnobservable) return (null, failures);

        if (target.Node is null)
        {
            var timeout = TimeSpan.FromSeconds(checks.NodeStartupTimeoutSeconds ?? CapiDefaults.NodeStartupTimeoutSeconds);
            if (timeout == TimeSpan.Zero) return (null, failures);
            // The clock starts at the latest of: Machine created, control plane initialized, cluster and machine infrastructure ready.
            var since = Utc(m.Metadata.CreationTimestamp ?? now);
            if (cluster.ControlPlaneInitialized && cluster.ControlPlaneInitializedAt is { } cp && Utc(cp) > since) since = Utc(cp);
            if (cluster.InfrastructureReady && cluster.InfrastructureReadyAt is { } infra && Utc(infra) > since) since = Utc(infra);
            if (Conditions.Get(m.Status.Conditions, MachineConditions.InfrastructureReady) is { Status: ConditionStatus.True } ready && Utc(ready.LastTransitionTime) > since)
                since = Utc(ready.LastTransitionTime);
            if (since + timeout < now)
                return (MachineReasons.HealthCheckNodeStartupTimeout, [$"Node failed to report startup in {GoDuration.Format(timeout)}"]);
            next.Add(since + timeout + TimeSpan.FromSeconds(1));
            return (null, failures);
        }

        foreach (var c in checks.UnhealthyNodeConditions ?? [])
        {
            var condition = target.Node.Status?.Conditions?.FirstOrDefault(n => n.Type == c.Type);
            if (condition is null || condition.Status != c.Status) continue;
            Check(c.Type, c.Status, condition.Reason, Utc(condition.LastTransitionTime ?? now), c.TimeoutSeconds, "Node", now, failures, next);
        }
        return (failures.Count > 0 ? MachineReasons.HealthCheckUnhealthyNode : null, failures);
    }

    private static void Check(string type, string status, string? reason, DateTime since, int timeoutSeconds, string what, DateTime now,
        List<string> failures, List<DateTime> next)
    {
        var timeout = TimeSpan.FromSeconds(timeoutSeconds);
        if (since + timeout < now)
        {
            failures.Add($"Condition {type} on {what} is reporting status {status} with reason {reason} for more than {GoDuration.Format(timeout)}");
            return;
        }
        next.Add(since + timeout + TimeSpan.FromSeconds(1));
    }

    private static HealthVerdict Unhealthy(Api.Machine m, string reason, List<string> failures) =>
        new(m, HealthState.Unhealthy, reason, "Health check failed:\n" + string.Join("\n", failures.Select(f => $"  * {f}")), null);

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
}
