using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.MachinePools;

/// <summary>The v1beta1 conditions CAPI's MachinePool controller keeps for clients of the old API (BootstrapReady,
/// InfrastructureReady, ReplicasReady and their Ready summary), under <c>status.deprecated.v1beta1.conditions</c>.</summary>
public static class MachinePoolLegacyConditions
{
    private const string Info = "Info";
    private const string Error = "Error";

    public static void Apply(MachinePoolScope s)
    {
        var pool = s.Pool;
        var init = pool.Status.Initialization;
        var v1 = MachinePoolReconciler.V1Beta1(pool);
        var conditions = v1.Conditions ??= [];
        var now = Conditions.Truncate(s.Now.UtcDateTime);

        if (init?.BootstrapDataSecretCreated == true)
            Set(conditions, MachinePoolV1Beta1Conditions.BootstrapReady, true, null, null, now);
        else
            Set(conditions, MachinePoolV1Beta1Conditions.BootstrapReady, false, MachinePoolV1Beta1Conditions.WaitingForDataSecretFallback, Info, now);

        if (s.InfraPoolNotFound)
            Set(conditions, MachinePoolV1Beta1Conditions.InfrastructureReady, false, MachinePoolV1Beta1Conditions.IncorrectExternalRef, Error, now,
                $"could not find infra reference of kind {pool.Spec.Template.Spec.InfrastructureRef.Kind} with name {pool.Spec.Template.Spec.InfrastructureRef.Name}");
        else if (init?.InfrastructureProvisioned == true)
            Set(conditions, MachinePoolV1Beta1Conditions.InfrastructureReady, true, null, null, now);
        else
            Set(conditions, MachinePoolV1Beta1Conditions.InfrastructureReady, false, MachinePoolV1Beta1Conditions.WaitingForInfrastructureFallback, Info, now);

        var ready = v1.ReadyReplicas ?? 0;
        if ((pool.Status.Replicas ?? 0) == ready && (pool.Status.NodeRefs?.Count ?? 0) == ready && init?.InfrastructureProvisioned == true)
            Set(conditions, MachinePoolV1Beta1Conditions.ReplicasReady, true, null, null, now);
        else
            Set(conditions, MachinePoolV1Beta1Conditions.ReplicasReady, false, MachinePoolV1Beta1Conditions.WaitingForReplicasReady, Info, now);

        // The summary takes the first condition that is not true, in CAPI's order.
        string[] order = [MachinePoolV1Beta1Conditions.BootstrapReady, MachinePoolV1Beta1Conditions.InfrastructureReady, MachinePoolV1Beta1Conditions.ReplicasReady];
        var blocking = order.Select(t => conditions.First(c => c.Type == t)).FirstOrDefault(c => c.Status != ConditionStatus.True);
        Set(conditions, MachinePoolV1Beta1Conditions.Ready, blocking is null, blocking?.Reason, blocking?.Severity, now, blocking?.Message);
        v1.Conditions = [.. conditions.OrderBy(c => c.Type == MachinePoolV1Beta1Conditions.Ready ? "" : c.Type, StringComparer.Ordinal)];
    }

    /// <summary>Sets a condition; its transition time moves only when its status does.</summary>
    private static void Set(List<V1Beta1Condition> conditions, string type, bool status, string? reason, string? severity, DateTime now, string? message = null)
    {
        var value = ConditionStatus.Of(status);
        var existing = conditions.FirstOrDefault(c => c.Type == type);
        if (existing is null)
        {
            existing = new V1Beta1Condition { Type = type, LastTransitionTime = now };
            conditions.Add(existing);
        }
        else if (existing.Status != value)
        {
            existing.LastTransitionTime = now;
        }
        existing.Status = value;
        existing.Reason = reason;
        existing.Severity = status ? null : severity;
        existing.Message = string.IsNullOrEmpty(message) ? null : message;
    }
}
