using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>Computes every condition, the phase and lastUpdated of a Machine from what one reconcile
/// observed (CAPI's machine status rules). Pure: no I/O, the clock comes from the scope.</summary>
/// <remarks>Never trusts a condition set last time, except to keep the last known Node state while the
/// workload cluster is briefly unreachable (as CAPI does).</remarks>
public static class MachineStatusCalculator
{
    private static readonly string[] ReadinessTypes =
    [
        MachineConditions.Deleting, MachineConditions.Updating, MachineConditions.BootstrapConfigReady,
        MachineConditions.InfrastructureReady, MachineConditions.NodeHealthy, MachineConditions.HealthCheckSucceeded,
    ];

    /// <summary>Updates the Machine's status. Returns when to look again for minReadySeconds, if waiting for it.</summary>
    public static TimeSpan? Apply(MachineScope s)
    {
        var m = s.Machine;
        var now = s.Now.UtcDateTime;
        SetBootstrapConfigReady(s, now);
        SetInfrastructureReady(s, now);
        SetNodeConditions(s, now);
        Set(m, MachineConditions.Deleting, s.IsDeleting ? ConditionStatus.True : ConditionStatus.False,
            s.IsDeleting ? s.DeletingReason : MachineReasons.NotDeleting, s.IsDeleting ? s.DeletingMessage : "", now);
        Set(m, MachineConditions.Updating, ConditionStatus.False, MachineReasons.NotUpdating, "", now);
        SetReady(s, now);
        SetPhase(s);
        m.Status.ObservedGeneration = m.Metadata.Generation;
        return SetAvailable(s, now);
    }

    private static void Set(Api.Machine m, string type, string status, string reason, string message, DateTime now) =>
        Conditions.Set(m.Status, new Condition { Type = type, Status = status, Reason = reason, Message = message }, now);

    private static void SetBootstrapConfigReady(MachineScope s, DateTime now)
    {
        var m = s.Machine;
        var configRef = m.Spec.Bootstrap.ConfigRef;
        if (configRef is null || !configRef.IsDefined)
        {
            Set(m, MachineConditions.BootstrapConfigReady, ConditionStatus.True, MachineReasons.BootstrapDataSecretProvided, "", now);
            return;
        }
        if (s.BootstrapConfig is not null)
        {
            var created = m.Status.Initialization?.BootstrapDataSecretCreated == true;
            Mirror(m, s.BootstrapConfig, MachineConditions.BootstrapConfigReady, created,
                MachineReasons.BootstrapConfigReady, MachineReasons.BootstrapConfigNotReady,
                created ? "" : $"{configRef.Kind} status.initialization.dataSecretCreated is false", now);
            return;
        }
        if (!s.BootstrapConfigNotFound)
        {
            Set(m, MachineConditions.BootstrapConfigReady, ConditionStatus.Unknown, MachineReasons.BootstrapConfigInternalError, "Please check controller logs for errors", now);
            return;
        }
        if (s.IsDeleting && m.Status.Initialization?.BootstrapDataSecretCreated == true)
        {
            Set(m, MachineConditions.BootstrapConfigReady, ConditionStatus.False, MachineReasons.BootstrapConfigDeleted, $"{configRef.Kind} has been deleted", now);
            return;
        }
        Set(m, MachineConditions.BootstrapConfigReady, ConditionStatus.False, MachineReasons.BootstrapConfigDoesNotExist, $"{configRef.Kind} does not exist", now);
    }

    private static void SetInfrastructureReady(MachineScope s, DateTime now)
    {
        var m = s.Machine;
        var kind = m.Spec.InfrastructureRef.Kind;
        var provisioned = m.Status.Initialization?.InfrastructureProvisioned == true;
        if (s.InfraMachine is not null)
        {
            Mirror(m, s.InfraMachine, MachineConditions.InfrastructureReady, provisioned,
                MachineReasons.InfrastructureReady, MachineReasons.InfrastructureNotReady,
                provisioned ? "" : $"{kind} status.initialization.provisioned is false", now);
            return;
        }
        if (!s.InfraMachineNotFound)
        {
            Set(m, MachineConditions.InfrastructureReady, ConditionStatus.Unknown, MachineReasons.InfrastructureInternalError, "Please check controller logs for errors", now);
            return;
        }
        if (s.IsDeleting)
        {
            if (provisioned)
                Set(m, MachineConditions.InfrastructureReady, ConditionStatus.False, MachineReasons.InfrastructureDeleted, $"{kind} has been deleted", now);
            else
                Set(m, MachineConditions.InfrastructureReady, ConditionStatus.False, MachineReasons.InfrastructureDoesNotExist, $"{kind} does not exist", now);
            return;
        }
        if (provisioned)
        {
            Set(m, MachineConditions.InfrastructureReady, ConditionStatus.False, MachineReasons.InfrastructureDeleted, $"{kind} has been deleted while the Machine still exists", now);
            return;
        }
        Set(m, MachineConditions.InfrastructureReady, ConditionStatus.False, MachineReasons.InfrastructureDoesNotExist, $"{kind} does not exist", now);
    }

    /// <summary>Copies the source's Ready condition (status, reason, message); without one, falls back to
    /// what the contract fields say.</summary>
    private static void Mirror(Api.Machine m, JsonObject source, string target, bool fallbackTrue, string trueReason, string falseReason,
        string fallbackMessage, DateTime now)
    {
        var ready = ExternalObjects.ConditionsOf(source).FirstOrDefault(c => c.Type == CommonConditions.Ready);
        if (ready is null)
        {
            Set(m, target, ConditionStatus.Of(fallbackTrue), fallbackTrue ? trueReason : falseReason, fallbackMessage, now);
            return;
        }
        var reason = ready.Reason.Length > 0 ? ready.Reason : ready.Status == ConditionStatus.True ? trueReason : "NoReasonReported";
        Set(m, target, ready.Status, reason, ready.Message, now);
    }

    private static void SetNodeConditions(MachineScope s, DateTime now)
    {
        var m = s.Machine;
        void Both(string status, string reason, string message)
        {
            Set(m, MachineConditions.NodeReady, status, reason, message, now);
            Set(m, MachineConditions.NodeHealthy, status, reason, message, now);
        }
        bool HasBoth() => Conditions.Get(m.Status, MachineConditions.NodeReady) is not null && Conditions.Get(m.Status, MachineConditions.NodeHealthy) is not null;

        if (!s.ClusterInfrastructureProvisioned)
        {
            Both(ConditionStatus.Unknown, MachineReasons.NodeInspectionFailed, "Waiting for Cluster status.initialization.infrastructureProvisioned to be true");
            return;
        }
        if (!s.ClusterControlPlaneInitialized)
        {
            Both(ConditionStatus.Unknown, MachineReasons.NodeInspectionFailed, "Waiting for Cluster control plane to be initialized");
            return;
        }
        switch (s.Connection)
        {
            case WorkloadConnection.NotConnected:
                // Keep reporting the last known state through short outages; say so only when nothing is known.
                if (!HasBoth()) Both(ConditionStatus.Unknown, MachineReasons.NodeConnectionDown, "Remote connection not established yet");
                return;
            case WorkloadConnection.Error:
                Both(ConditionStatus.Unknown, MachineReasons.NodeInternalError, "Please check controller logs for errors");
                return;
        }

        if (s.Node is { } node)
        {
            Set(m, MachineConditions.NodeReady, NodeReadyOf(node, out var reason, out var message), reason, message, now);
            var (status, healthReason, healthMessage) = SummarizeNode(node);
            Set(m, MachineConditions.NodeHealthy, status, healthReason, healthMessage, now);
            return;
        }

        var nodeRef = m.Status.NodeRef?.Name;
        if (s.IsDeleting)
        {
            if (nodeRef is not null)
                Both(ConditionStatus.False, MachineReasons.NodeDeleted, $"Node {nodeRef} has been deleted");
            else
                Both(ConditionStatus.Unknown, MachineReasons.NodeDoesNotExist, "Node does not exist");
            return;
        }
        if (nodeRef is not null)
        {
            Both(ConditionStatus.False, MachineReasons.NodeDeleted, $"Node {nodeRef} has been deleted while the Machine still exists");
            return;
        }
        if (!string.IsNullOrEmpty(m.Spec.ProviderId))
        {
            Both(ConditionStatus.Unknown, MachineReasons.NodeInspectionFailed, $"Waiting for a Node with spec.providerID {m.Spec.ProviderId} to exist");
            return;
        }
        Both(ConditionStatus.Unknown, MachineReasons.NodeInspectionFailed, $"Waiting for {m.Spec.InfrastructureRef.Kind} to report spec.providerID");
    }

    private static string NodeReadyOf(V1Node node, out string reason, out string message)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        if (ready is null)
        {
            reason = MachineReasons.NodeReadyUnknown;
            message = "* Node.Ready: Condition not yet reported";
            return ConditionStatus.Unknown;
        }
        message = ready.Status != ConditionStatus.True && !string.IsNullOrEmpty(ready.Message) ? $"* Node.Ready: {ready.Message}" : "";
        (var status, reason) = ready.Status switch
        {
            ConditionStatus.True => (ConditionStatus.True, MachineReasons.NodeReady),
            ConditionStatus.False => (ConditionStatus.False, MachineReasons.NodeNotReady),
            _ => (ConditionStatus.Unknown, MachineReasons.NodeReadyUnknown),
        };
        return status;
    }

    /// <summary>Ready must be True; MemoryPressure, DiskPressure and PIDPressure must be False.</summary>
    internal static (string Status, string Reason, string Message) SummarizeNode(V1Node node)
    {
        var issues = 0;
        var unknown = 0;
        var messages = new List<string>();
        var distinct = new HashSet<string>();
        var reported = 0;
        foreach (var type in new[] { "Ready", "MemoryPressure", "DiskPressure", "PIDPressure" })
        {
            var c = node.Status?.Conditions?.LastOrDefault(x => x.Type == type);
            if (c is null)
            {
                messages.Add($"* Node.{type}: Condition not yet reported");
                unknown++;
                continue;
            }
            var bad = type == "Ready" ? c.Status != ConditionStatus.True : c.Status != ConditionStatus.False;
            if (!bad) continue;
            var text = string.IsNullOrEmpty(c.Message) ? $"Condition is {c.Status}" : c.Message;
            reported++;
            distinct.Add(text);
            messages.Add($"* Node.{type}: {text}");
            if (c.Status == ConditionStatus.Unknown) unknown++;
            else issues++;
        }
        if (reported > 1 && distinct.Count == 1)
            messages = [$"* Node.AllConditions: {distinct.First()}"];
        var message = string.Join("\n", messages);
        if (issues > 0) return (ConditionStatus.False, MachineReasons.NodeNotHealthy, message);
        if (unknown > 0) return (ConditionStatus.Unknown, MachineReasons.NodeHealthUnknown, message);
        return (ConditionStatus.True, MachineReasons.NodeHealthy, "");
    }

    private static void SetReady(MachineScope s, DateTime now)
    {
        var m = s.Machine;
        var types = ReadinessTypes.ToList();
        var negative = new HashSet<string> { MachineConditions.Deleting, MachineConditions.Updating };
        foreach (var gate in m.Spec.ReadinessGates ?? [])
        {
            types.Add(gate.ConditionType);
            if (gate.Polarity == ConditionPolarity.Negative) negative.Add(gate.ConditionType);
        }
        var options = new MergeOptions
        {
            NegativePolarity = negative,
            IssueReason = MachineReasons.NotReady,
            UnknownReason = MachineReasons.ReadyUnknown,
            InfoReason = MachineReasons.Ready,
            // While deleting, the parts going away one after another is expected, not an issue.
            Priority = c => s.IsDeleting && (
                c.Type == MachineConditions.BootstrapConfigReady && c.Reason is MachineReasons.BootstrapConfigDeleted or MachineReasons.BootstrapConfigDoesNotExist ||
                c.Type == MachineConditions.InfrastructureReady && c.Reason is MachineReasons.InfrastructureDeleted or MachineReasons.InfrastructureDoesNotExist ||
                c.Type == MachineConditions.NodeHealthy && c.Reason is MachineReasons.NodeDeleted or MachineReasons.NodeDoesNotExist)
                ? MergePriority.Info
                : null,
        };
        Dictionary<string, Condition>? overrides = null;
        if (s.IsDeleting)
        {
            // A short, stable stage message so Ready aggregates nicely across many Machines.
            var stage = Conditions.Get(m.Status, MachineConditions.Deleting)?.Reason;
            var since = m.Metadata.DeletionTimestamp is { } ts && s.Now - new DateTimeOffset(DateTime.SpecifyKind(ts, DateTimeKind.Utc)) > TimeSpan.FromMinutes(15)
                ? " since more than 15m" : "";
            overrides = new Dictionary<string, Condition>
            {
                [MachineConditions.Deleting] = new()
                {
                    Type = MachineConditions.Deleting,
                    Status = ConditionStatus.True,
                    Reason = MachineReasons.Deleting,
                    Message = stage is null ? "Machine deletion in progress" : $"Machine deletion in progress{since}, stage: {stage}",
                },
            };
        }
        var ready = ConditionMerge.Summary(MachineConditions.Ready, m.Status.Conditions, types, options,
            ignoreIfMissing: new HashSet<string> { MachineConditions.HealthCheckSucceeded }, overrides: overrides);
        Conditions.Set(m.Status, ready, now);
    }

    private static TimeSpan? SetAvailable(MachineScope s, DateTime now)
    {
        var m = s.Machine;
        var ready = Conditions.Get(m.Status, MachineConditions.Ready);
        if (ready?.Status != ConditionStatus.True)
        {
            Set(m, MachineConditions.Available, ConditionStatus.False, MachineReasons.NotReady, "", now);
            return null;
        }
        var wait = DateTime.SpecifyKind(ready.LastTransitionTime, DateTimeKind.Utc) + TimeSpan.FromSeconds(m.Spec.MinReadySeconds ?? 0) - now;
        if (wait <= TimeSpan.Zero)
        {
            Set(m, MachineConditions.Available, ConditionStatus.True, MachineReasons.Available, "", now);
            return null;
        }
        Set(m, MachineConditions.Available, ConditionStatus.False, MachineReasons.WaitingForMinReadySeconds, "", now);
        return wait;
    }

    private static void SetPhase(MachineScope s)
    {
        var m = s.Machine;
        var original = m.Status.Phase;
        var phase = string.IsNullOrEmpty(original) ? MachinePhase.Pending : original;
        var provisioned = m.Status.Initialization?.InfrastructureProvisioned == true;
        if (m.Status.Initialization?.BootstrapDataSecretCreated == true && !provisioned) phase = MachinePhase.Provisioning;
        if (!string.IsNullOrEmpty(m.Spec.ProviderId)) phase = MachinePhase.Provisioned;
        if (m.Status.NodeRef is not null && provisioned) phase = MachinePhase.Running;
        if (s.IsDeleting) phase = MachinePhase.Deleting;
        m.Status.Phase = phase;
        if (phase != original) m.Status.LastUpdated = Conditions.Truncate(s.Now.UtcDateTime);
    }
}
