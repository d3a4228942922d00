using ServerlessCapi.Api;
using ServerlessCapi.Providers.ControlPlane;

namespace ServerlessCapi.Reconcilers.KubeadmControlPlane;

/// <summary>Every status field and condition of a KubeadmControlPlane, computed from one step's observations.</summary>
public static class KubeadmControlPlaneStatus
{
    public static void Compute(ControlPlaneScope scope, ControlPlanePlan plan, DateTimeOffset now)
    {
        var kcp = scope.Kcp;
        var s = kcp.Status;
        var machines = scope.Machines;
        var active = scope.Active.ToList();
        var initialized = scope.Initialized;

        s.Replicas = machines.Count;
        s.ReadyReplicas = machines.Count(scope.IsHealthy);
        s.AvailableReplicas = machines.Count(m => scope.IsHealthy(m) && m.Metadata.DeletionTimestamp is null);
        s.UpToDateReplicas = active.Count(scope.IsUpToDate);
        s.Selector = ControlPlaneObjects.Selector(scope.ClusterName);
        s.Version = machines.Select(m => m.Spec.Version).Where(v => v is not null).OrderBy(v => v, VersionComparer.Instance).FirstOrDefault();
        s.ObservedGeneration = kcp.Metadata.Generation;
        // Only once there is something to say: the CRD refuses an empty status.initialization.
        if (initialized) (s.Initialization ??= new ControlPlaneInitializationStatus()).ControlPlaneInitialized = true;

        Set(kcp, KubeadmControlPlaneConditions.Initialized, initialized,
            initialized ? KubeadmControlPlaneReasons.Initialized : KubeadmControlPlaneReasons.NotInitialized,
            initialized ? "" : "Control plane not yet initialized", now);
        var available = initialized && s.AvailableReplicas > 0;
        Set(kcp, KubeadmControlPlaneConditions.Available, available,
            available ? KubeadmControlPlaneReasons.Available : KubeadmControlPlaneReasons.NotAvailable,
            available ? "" : initialized ? "No control plane Machine has a Ready Node" : "Control plane not yet initialized", now);

        var notReady = machines.Where(m => !scope.IsHealthy(m)).Select(m => m.Metadata.Name).ToList();
        if (machines.Count == 0)
            Set(kcp, KubeadmControlPlaneConditions.MachinesReady, true, KubeadmControlPlaneReasons.MachinesReadyNoReplicas, "", now);
        else
            Set(kcp, KubeadmControlPlaneConditions.MachinesReady, notReady.Count == 0,
                notReady.Count == 0 ? KubeadmControlPlaneReasons.MachinesReady : KubeadmControlPlaneReasons.MachinesNotReady,
                notReady.Count == 0 ? "" : $"* Machines {string.Join(", ", notReady)}: Node not ready", now);

        var outdated = active.Where(m => !scope.IsUpToDate(m)).Select(m => m.Metadata.Name).ToList();
        if (active.Count == 0)
            Set(kcp, KubeadmControlPlaneConditions.MachinesUpToDate, true, KubeadmControlPlaneReasons.MachinesUpToDateNoReplicas, "", now);
        else
            Set(kcp, KubeadmControlPlaneConditions.MachinesUpToDate, outdated.Count == 0,
                outdated.Count == 0 ? KubeadmControlPlaneReasons.MachinesUpToDate : KubeadmControlPlaneReasons.MachinesNotUpToDate,
                outdated.Count == 0 ? "" : $"* Machines {string.Join(", ", outdated)}: not up-to-date", now);

        Set(kcp, KubeadmControlPlaneConditions.RollingOut, outdated.Count > 0,
            outdated.Count > 0 ? KubeadmControlPlaneReasons.RollingOut : KubeadmControlPlaneReasons.NotRollingOut,
            outdated.Count > 0 ? $"Rolling out {outdated.Count} not up-to-date replicas" : "", now);

        var desired = scope.Desired;
        var scalingUp = active.Count < desired;
        Set(kcp, KubeadmControlPlaneConditions.ScalingUp, scalingUp,
            scalingUp ? KubeadmControlPlaneReasons.ScalingUp : KubeadmControlPlaneReasons.NotScalingUp,
            scalingUp ? Join($"Scaling up from {active.Count} to {desired} replicas", plan) : "", now);
        var scalingDown = active.Count > desired + (outdated.Count > 0 ? 1 : 0);
        Set(kcp, KubeadmControlPlaneConditions.ScalingDown, scalingDown,
            scalingDown ? KubeadmControlPlaneReasons.ScalingDown : KubeadmControlPlaneReasons.NotScalingDown,
            scalingDown ? Join($"Scaling down from {active.Count} to {desired} replicas", plan) : "", now);
        Set(kcp, KubeadmControlPlaneConditions.Remediating, false, KubeadmControlPlaneReasons.NotRemediating, "", now);
        Set(kcp, KubeadmControlPlaneConditions.Deleting, false, KubeadmControlPlaneReasons.NotDeleting, "", now);
    }

    public static void WaitingForCluster(Api.KubeadmControlPlane kcp, DateTimeOffset now) =>
        NotInitialized(kcp, "Waiting for the Cluster to own this control plane", now);

    public static void WaitingForEndpoint(Api.KubeadmControlPlane kcp, DateTimeOffset now) =>
        NotInitialized(kcp, "Waiting for Cluster spec.controlPlaneEndpoint to be set", now);

    public static void Deleting(Api.KubeadmControlPlane kcp, string reason, string message, DateTimeOffset now) =>
        Set(kcp, KubeadmControlPlaneConditions.Deleting, true, reason, message, now);

    private static void NotInitialized(Api.KubeadmControlPlane kcp, string message, DateTimeOffset now)
    {
        if (kcp.Status.Initialization?.ControlPlaneInitialized == true) return;
        Set(kcp, KubeadmControlPlaneConditions.Initialized, false, KubeadmControlPlaneReasons.NotInitialized, message, now);
        Set(kcp, KubeadmControlPlaneConditions.Available, false, KubeadmControlPlaneReasons.NotAvailable, message, now);
    }

    private static string Join(string what, ControlPlanePlan plan) =>
        plan.Action == PlanAction.Wait ? $"{what}; {plan.Message}" : what;

    private static void Set(Api.KubeadmControlPlane kcp, string type, bool status, string reason, string message, DateTimeOffset now) =>
        Conditions.Set(kcp.Status, type, ConditionStatus.Of(status), reason, message, kcp.Metadata.Generation, now.UtcDateTime);
}

/// <summary>Orders Kubernetes versions (<c>v1.9.0</c> before <c>v1.10.0</c>).</summary>
public sealed class VersionComparer : IComparer<string?>
{
    public static VersionComparer Instance { get; } = new();

    public int Compare(string? x, string? y)
    {
        if (Version.TryParse(x?.TrimStart('v').Split('-', '+')[0], out var a) && Version.TryParse(y?.TrimStart('v').Split('-', '+')[0], out var b))
            return a.CompareTo(b);
        return string.CompareOrdinal(x, y);
    }
}
