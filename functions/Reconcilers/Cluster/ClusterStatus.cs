using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Clusters;

/// <summary>Computes every condition, the replica counters and the phase of a Cluster from what one reconcile
/// observed (CAPI's cluster status rules). Pure: no I/O.</summary>
public static class ClusterStatusCalculator
{
    public static void Apply(ClusterScope s)
    {
        var c = s.Cluster;
        var now = s.Now.UtcDateTime;
        SetInfrastructureReady(s, now);
        SetControlPlaneInitialized(s, now);
        SetControlPlaneAvailable(s, now);
        SetWorkersAvailable(s, now);
        SetMachinesCondition(s, s.ControlPlaneMachines.ToList(), ClusterConditions.ControlPlaneMachinesReady, MachineConditions.Ready, ClusterReasons.ControlPlaneMachinesNotReady,
            ClusterReasons.ControlPlaneMachinesReadyUnknown, ClusterReasons.ControlPlaneMachinesReady, now);
        SetMachinesCondition(s, s.WorkerMachines.ToList(), ClusterConditions.WorkerMachinesReady, MachineConditions.Ready, ClusterReasons.WorkerMachinesNotReady,
            ClusterReasons.WorkerMachinesReadyUnknown, ClusterReasons.WorkerMachinesReady, now);
        SetMachinesCondition(s, s.ControlPlaneMachines.ToList(), ClusterConditions.ControlPlaneMachinesUpToDate, MachineConditions.UpToDate,
            ClusterReasons.ControlPlaneMachinesNotUpToDate, ClusterReasons.ControlPlaneMachinesUpToDateUnknown, ClusterReasons.ControlPlaneMachinesUpToDate, now);
        SetMachinesCondition(s, s.WorkerMachines.ToList(), ClusterConditions.WorkerMachinesUpToDate, MachineConditions.UpToDate,
            ClusterReasons.WorkerMachinesNotUpToDate, ClusterReasons.WorkerMachinesUpToDateUnknown, ClusterReasons.WorkerMachinesUpToDate, now);
        SetRemoteConnectionProbe(s, now);
        Set(c, ClusterConditions.Deleting, ConditionStatus.Of(s.IsDeleting), s.IsDeleting ? s.DeletingReason : ClusterReasons.NotDeleting,
            s.IsDeleting ? s.DeletingMessage : "", now);
        SetReplicas(s);
        SetAvailable(s, now);
        SetPhase(c);
        c.Status.ObservedGeneration = c.Metadata.Generation;
    }

    private static void Set(Api.Cluster c, string type, string status, string reason, string message, DateTime now) =>
        Conditions.Set(c.Status, new Condition { Type = type, Status = status, Reason = reason, Message = message }, now);

    private static ClusterInitializationStatus Initialization(Api.Cluster c) => c.Status.Initialization ??= new ClusterInitializationStatus();

    private static void SetInfrastructureReady(ClusterScope s, DateTime now)
    {
        var c = s.Cluster;
        var kind = c.Spec.InfrastructureRef?.Kind ?? "";
        var provisioned = c.Status.Initialization?.InfrastructureProvisioned == true;
        if (c.Spec.InfrastructureRef is not { IsDefined: true })
        {
            // Without infrastructure to wait for there is nothing to provision.
            Set(c, ClusterConditions.InfrastructureReady, ConditionStatus.True, ClusterReasons.InfrastructureReady, "", now);
            return;
        }
        if (s.InfraCluster is { } infra)
        {
            Mirror(c, infra, CommonConditions.Ready, ClusterConditions.InfrastructureReady, provisioned, ClusterReasons.InfrastructureReady,
                ClusterReasons.InfrastructureNotReady, provisioned ? "" : $"{kind} status.initialization.provisioned is false", now);
            return;
        }
        if (!s.InfraClusterNotFound)
            Set(c, ClusterConditions.InfrastructureReady, ConditionStatus.Unknown, ClusterReasons.InfrastructureInternalError, "Please check controller logs for errors", now);
        else if (s.IsDeleting)
            Set(c, ClusterConditions.InfrastructureReady, ConditionStatus.False, provisioned ? ClusterReasons.InfrastructureDeleted : ClusterReasons.InfrastructureDoesNotExist,
                provisioned ? $"{kind} has been deleted" : $"{kind} does not exist", now);
        else if (provisioned)
            Set(c, ClusterConditions.InfrastructureReady, ConditionStatus.False, ClusterReasons.InfrastructureDeleted, $"{kind} has been deleted while the cluster still exists", now);
        else
            Set(c, ClusterConditions.InfrastructureReady, ConditionStatus.False, ClusterReasons.InfrastructureDoesNotExist, $"{kind} does not exist", now);
    }

    private static void SetControlPlaneInitialized(ClusterScope s, DateTime now)
    {
        var c = s.Cluster;
        if (Conditions.IsTrue(c.Status, ClusterConditions.ControlPlaneInitialized)) return; // Initialized once, initialized for good.
        if (c.Spec.ControlPlaneRef is { IsDefined: true } cpRef)
        {
            if (s.ControlPlane is null)
            {
                Set(c, ClusterConditions.ControlPlaneInitialized, ConditionStatus.Unknown,
                    s.ControlPlaneNotFound ? ClusterReasons.ControlPlaneDoesNotExist : ClusterReasons.ControlPlaneInitializedInternalError,
                    s.ControlPlaneNotFound ? $"{cpRef.Kind} does not exist" : "Please check controller logs for errors", now);
                return;
            }
            if (c.Status.Initialization?.ControlPlaneInitialized == true)
                Set(c, ClusterConditions.ControlPlaneInitialized, ConditionStatus.True, ClusterReasons.ControlPlaneInitialized, "", now);
            else
                Set(c, ClusterConditions.ControlPlaneInitialized, ConditionStatus.False, ClusterReasons.ControlPlaneNotInitialized, "Control plane not yet initialized", now);
            return;
        }
        // Machine-based control plane: initialized when the first control plane Machine has a Node.
        if (s.ControlPlaneMachines.Any(m => m.Status.NodeRef is not null))
        {
            Initialization(c).ControlPlaneInitialized = true;
            Set(c, ClusterConditions.ControlPlaneInitialized, ConditionStatus.True, ClusterReasons.ControlPlaneInitialized, "", now);
            return;
        }
        Set(c, ClusterConditions.ControlPlaneInitialized, ConditionStatus.False, ClusterReasons.ControlPlaneNotInitialized,
            "Waiting for the first control plane machine to have status.nodeRef set", now);
    }

    private static void SetControlPlaneAvailable(ClusterScope s, DateTime now)
    {
        var c = s.Cluster;
        if (c.Spec.ControlPlaneRef is not { IsDefined: true } cpRef)
        {
            Set(c, ClusterConditions.ControlPlaneAvailable, ConditionStatus.Of(c.Status.Initialization?.ControlPlaneInitialized == true),
                c.Status.Initialization?.ControlPlaneInitialized == true ? ClusterReasons.ControlPlaneAvailable : ClusterReasons.ControlPlaneNotAvailable, "", now);
            return;
        }
        var initialized = c.Status.Initialization?.ControlPlaneInitialized == true;
        if (s.ControlPlane is { } cp)
        {
            Mirror(c, cp, CommonConditions.Available, ClusterConditions.ControlPlaneAvailable, initialized, ClusterReasons.ControlPlaneAvailable,
                ClusterReasons.ControlPlaneNotAvailable, initialized ? "" : $"{cpRef.Kind} status.initialization.controlPlaneInitialized is false", now);
            return;
        }
        if (!s.ControlPlaneNotFound)
            Set(c, ClusterConditions.ControlPlaneAvailable, ConditionStatus.Unknown, ClusterReasons.ControlPlaneInternalError, "Please check controller logs for errors", now);
        else if (s.IsDeleting)
            Set(c, ClusterConditions.ControlPlaneAvailable, ConditionStatus.False, initialized ? ClusterReasons.ControlPlaneDeleted : ClusterReasons.ControlPlaneDoesNotExist,
                initialized ? $"{cpRef.Kind} has been deleted" : $"{cpRef.Kind} does not exist", now);
        else if (initialized)
            Set(c, ClusterConditions.ControlPlaneAvailable, ConditionStatus.False, ClusterReasons.ControlPlaneDeleted, $"{cpRef.Kind} has been deleted while the cluster still exists", now);
        else
            Set(c, ClusterConditions.ControlPlaneAvailable, ConditionStatus.False, ClusterReasons.ControlPlaneDoesNotExist, $"{cpRef.Kind} does not exist", now);
    }

    /// <summary>From the MachineDeployments' Available conditions (CAPI); with none, from stand-alone worker
    /// Machines' Available, so clusters built from plain Machines report their workers too.</summary>
    private static void SetWorkersAvailable(ClusterScope s, DateTime now)
    {
        var c = s.Cluster;
        if (!s.DescendantsRead)
        {
            Set(c, ClusterConditions.WorkersAvailable, ConditionStatus.Unknown, ClusterReasons.WorkersAvailableInternalError, "Please check controller logs for errors", now);
            return;
        }
        var sources = s.MachineDeployments
            .Select(md => new OwnedCondition(MachineDeployment.KubeKind, md.Metadata.Name, ConditionMerge.OrNotYetReported(md.Status.Conditions, CommonConditions.Available)))
            .ToList();
        if (sources.Count == 0)
        {
            sources = s.WorkerMachines.Where(m => OwnerReferences.ControllerOf(m.Metadata) is null)
                .Select(m => new OwnedCondition(Api.Machine.KubeKind, m.Metadata.Name, ConditionMerge.OrNotYetReported(m.Status.Conditions, MachineConditions.Available)))
                .ToList();
        }
        if (sources.Count == 0)
        {
            Set(c, ClusterConditions.WorkersAvailable, ConditionStatus.True, ClusterReasons.WorkersAvailableNoWorkers, "", now);
            return;
        }
        var merged = ConditionMerge.Aggregate(ClusterConditions.WorkersAvailable, sources, new MergeOptions
        {
            IssueReason = ClusterReasons.WorkersNotAvailable,
            UnknownReason = ClusterReasons.WorkersAvailableUnknown,
            InfoReason = ClusterReasons.WorkersAvailable,
        });
        Conditions.Set(c.Status, merged, now);
    }

    private static void SetMachinesCondition(ClusterScope s, List<Api.Machine> machines, string target, string source, string issue, string unknown, string info, DateTime now)
    {
        var c = s.Cluster;
        if (!s.DescendantsRead)
        {
            Set(c, target, ConditionStatus.Unknown, CommonReasons.InternalError, "Please check controller logs for errors", now);
            return;
        }
        if (machines.Count == 0)
        {
            Set(c, target, ConditionStatus.True, CommonReasons.NoReplicas, "", now);
            return;
        }
        var sources = machines.Select(m => new OwnedCondition(Api.Machine.KubeKind, m.Metadata.Name, ConditionMerge.OrNotYetReported(m.Status.Conditions, source),
            m.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) == true)).ToList();
        var merged = ConditionMerge.Aggregate(target, sources, new MergeOptions { IssueReason = issue, UnknownReason = unknown, InfoReason = info });
        Conditions.Set(c.Status, merged, now);
    }

    private static void SetRemoteConnectionProbe(ClusterScope s, DateTime now)
    {
        var c = s.Cluster;
        switch (s.Probe)
        {
            case null:
                if (Conditions.Get(c.Status, ClusterConditions.RemoteConnectionProbe) is null)
                    Set(c, ClusterConditions.RemoteConnectionProbe, ConditionStatus.False, ClusterReasons.RemoteConnectionProbeFailed, "Remote connection not established yet", now);
                return;
            case { Succeeded: true }:
                Set(c, ClusterConditions.RemoteConnectionProbe, ConditionStatus.True, ClusterReasons.RemoteConnectionProbeSucceeded, "", now);
                return;
            default:
                Set(c, ClusterConditions.RemoteConnectionProbe, ConditionStatus.False, ClusterReasons.RemoteConnectionProbeFailed,
                    $"Remote connection probe failed: {s.Probe.Message}", now);
                return;
        }
    }

    /// <summary>Replica counters of control plane and workers, counted from the Machines (desired from the
    /// control plane's and the MachineDeployments' spec.replicas).</summary>
    private static void SetReplicas(ClusterScope s)
    {
        var c = s.Cluster;
        if (!s.DescendantsRead) return;
        var cpDesired = s.ControlPlane?["spec"]?["replicas"] is JsonValue v && v.TryGetValue<int>(out var n) ? n : (int?)null;
        c.Status.ControlPlane = Count(s.ControlPlaneMachines.ToList(), cpDesired ?? s.ControlPlaneMachines.Count());
        var standalone = s.WorkerMachines.Count(m => OwnerReferences.ControllerOf(m.Metadata) is null);
        var workersDesired = s.MachineDeployments.Sum(md => md.Spec.Replicas ?? 0)
                             + s.MachineSets.Where(ms => OwnerReferences.ControllerOf(ms.Metadata) is null).Sum(ms => ms.Spec.Replicas ?? 0)
                             + standalone;
        c.Status.Workers = Count(s.WorkerMachines.ToList(), workersDesired);
    }

    private static ClusterReplicasSummary Count(List<Api.Machine> machines, int desired) => new()
    {
        DesiredReplicas = desired,
        Replicas = machines.Count,
        ReadyReplicas = machines.Count(m => Conditions.IsTrue(m.Status.Conditions, MachineConditions.Ready)),
        AvailableReplicas = machines.Count(m => Conditions.IsTrue(m.Status.Conditions, MachineConditions.Available)),
        UpToDateReplicas = machines.Count(m => Conditions.IsTrue(m.Status.Conditions, MachineConditions.UpToDate)),
    };

    private static void SetAvailable(ClusterScope s, DateTime now)
    {
        var c = s.Cluster;
        var types = new List<string>
        {
            ClusterConditions.Deleting, ClusterConditions.RemoteConnectionProbe, ClusterConditions.InfrastructureReady,
            ClusterConditions.ControlPlaneAvailable, ClusterConditions.WorkersAvailable, "TopologyReconciled",
        };
        var negative = new HashSet<string> { ClusterConditions.Deleting };
        foreach (var gate in c.Spec.AvailabilityGates ?? [])
        {
            types.Add(gate.ConditionType);
            if (gate.Polarity == ConditionPolarity.Negative) negative.Add(gate.ConditionType);
        }
        var options = new MergeOptions
        {
            NegativePolarity = negative,
            IssueReason = ClusterReasons.NotAvailable,
            UnknownReason = ClusterReasons.AvailableUnknown,
            InfoReason = ClusterReasons.Available,
            Priority = x => s.IsDeleting && (
                x.Type == ClusterConditions.InfrastructureReady && x.Reason is ClusterReasons.InfrastructureDeleted or ClusterReasons.InfrastructureDoesNotExist ||
                x.Type == ClusterConditions.ControlPlaneAvailable && x.Reason is ClusterReasons.ControlPlaneDeleted or ClusterReasons.ControlPlaneDoesNotExist)
                ? MergePriority.Info
                : null,
        };
        var ignore = c.Spec.Topology is null ? new HashSet<string> { "TopologyReconciled" } : null;
        Conditions.Set(c.Status, ConditionMerge.Summary(ClusterConditions.Available, c.Status.Conditions, types, options, ignore), now);
    }

    private static void SetPhase(Api.Cluster c)
    {
        var phase = string.IsNullOrEmpty(c.Status.Phase) ? ClusterPhase.Pending : c.Status.Phase;
        if (c.Spec.InfrastructureRef is { IsDefined: true } || c.Spec.ControlPlaneRef is { IsDefined: true }) phase = ClusterPhase.Provisioning;
        if (c.Status.Initialization?.InfrastructureProvisioned == true && c.Spec.ControlPlaneEndpoint is { IsValid: true }) phase = ClusterPhase.Provisioned;
        if (c.Metadata.DeletionTimestamp is not null) phase = ClusterPhase.Deleting;
        c.Status.Phase = phase;
    }

    private static void Mirror(Api.Cluster c, JsonObject source, string sourceType, string target, bool fallbackTrue, string trueReason, string falseReason,
        string fallbackMessage, DateTime now)
    {
        var found = ExternalObjects.ConditionsOf(source).FirstOrDefault(x => x.Type == sourceType);
        if (found is null)
        {
            Set(c, target, ConditionStatus.Of(fallbackTrue), fallbackTrue ? trueReason : falseReason, fallbackMessage, now);
            return;
        }
        var reason = found.Reason.Length > 0 ? found.Reason : found.Status == ConditionStatus.True ? trueReason : "NoReasonReported";
        Set(c, target, found.Status, reason, found.Message, now);
    }
}
