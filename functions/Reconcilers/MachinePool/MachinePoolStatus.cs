using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.MachinePools;

/// <summary>The phase, replica counters and conditions of a MachinePool, computed in one place from what the reconcile
/// observed.</summary>
/// <remarks>The phase and counters follow CAPI's controller. CAPI's API lists the v1beta2 conditions (Available,
/// BootstrapConfigReady, InfrastructureReady, MachinesReady, MachinesUpToDate, ScalingUp, ScalingDown, Remediating,
/// Deleting, Paused) but its controller sets only Paused so far (and the v1beta1 ones, see
/// <see cref="MachinePoolLegacyConditions"/>); the product sets them all, with the meanings and reasons they have on a
/// MachineSet. A pool is never remediated (CAPI has no MachinePool remediation).</remarks>
public static class MachinePoolStatusCalculator
{
    public static void Apply(MachinePoolScope s)
    {
        var pool = s.Pool;
        if (s.InfraPool is not null) SetReplicas(s);
        pool.Status.Phase = Phase(pool);
        pool.Status.ObservedGeneration = pool.Metadata.Generation;
        SetConditions(s);
        MachinePoolLegacyConditions.Apply(s);
    }

    private static void SetReplicas(MachinePoolScope s)
    {
        var pool = s.Pool;
        if (!s.HasMachinePoolMachines)
        {
            pool.Status.ReadyReplicas = pool.Status.Replicas;
            pool.Status.AvailableReplicas = pool.Status.Replicas;
            pool.Status.UpToDateReplicas = pool.Spec.Replicas;
        }
        else
        {
            pool.Status.ReadyReplicas = s.Machines.Count(m => Conditions.IsTrue(m.Status, MachineConditions.Ready));
            pool.Status.AvailableReplicas = s.Machines.Count(m => Conditions.IsTrue(m.Status, MachineConditions.Available));
            pool.Status.UpToDateReplicas = s.Machines.Count(m => Conditions.IsTrue(m.Status, MachineConditions.UpToDate));
        }
        var versions = VersionsOfNodes(s);
        pool.Status.Versions = versions.Count == 0 ? null : versions;
    }

    private static List<StatusVersion> VersionsOfNodes(MachinePoolScope s)
    {
        if (s.HasMachinePoolMachines)
        {
            return s.Machines.Where(m => !string.IsNullOrEmpty(m.Spec.Version)).GroupBy(m => m.Spec.Version!)
                .OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new StatusVersion { Version = g.Key, Replicas = g.Count() }).ToList();
        }
        var names = (s.Pool.Status.NodeRefs ?? []).Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        return (s.NodesByProviderId?.Values.AsEnumerable() ?? []).Where(n => names.Contains(n.Metadata.Name))
            .Select(n => n.Status?.NodeInfo?.KubeletVersion).OfType<string>().Where(v => v.Length > 0)
            .GroupBy(v => v).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new StatusVersion { Version = g.Key, Replicas = g.Count() }).ToList();
    }

    /// <summary>CAPI's phase, later rules winning; ready replicas are the v1beta1 count of ready Nodes.</summary>
    internal static string Phase(Api.MachinePool pool)
    {
        var phase = pool.Status.Phase ?? MachinePoolPhase.Pending;
        var init = pool.Status.Initialization;
        var infra = init?.InfrastructureProvisioned == true;
        if (init?.BootstrapDataSecretCreated == true && !infra) phase = MachinePoolPhase.Provisioning;
        if (pool.Status.NodeRefs is { Count: > 0 }) phase = MachinePoolPhase.Provisioned;
        var ready = pool.Status.Deprecated?.V1Beta1?.ReadyReplicas ?? 0;
        var autoscaled = pool.Metadata.Annotations?.ContainsKey(CapiAnnotations.ReplicasManagedBy) == true;
        if (infra && pool.Spec.Replicas is { } desired)
        {
            if (desired == ready) phase = MachinePoolPhase.Running;
            else if (desired > ready) phase = autoscaled ? MachinePoolPhase.Scaling : MachinePoolPhase.ScalingUp;
            else phase = autoscaled ? MachinePoolPhase.Scaling : MachinePoolPhase.ScalingDown;
        }
        if (pool.Metadata.DeletionTimestamp is not null) phase = MachinePoolPhase.Deleting;
        return phase;
    }

    private static void SetConditions(MachinePoolScope s)
    {
        var pool = s.Pool;
        var init = pool.Status.Initialization;
        var desired = pool.Spec.Replicas ?? 0;
        var current = pool.Status.Replicas ?? 0;
        var ready = pool.Status.ReadyReplicas ?? 0;
        var available = pool.Status.AvailableReplicas ?? 0;
        var upToDate = pool.Status.UpToDateReplicas ?? 0;
        var deleting = s.IsDeleting;

        if (pool.Spec.Template.Spec.Bootstrap.ConfigRef is not { IsDefined: true })
            Set(s, MachinePoolConditions.BootstrapConfigReady, true, MachinePoolReasons.BootstrapDataSecretProvided, "");
        else if (s.BootstrapConfigNotFound)
            Set(s, MachinePoolConditions.BootstrapConfigReady, false, MachinePoolReasons.BootstrapConfigDoesNotExist,
                $"{pool.Spec.Template.Spec.Bootstrap.ConfigRef?.Kind} does not exist");
        else if (init?.BootstrapDataSecretCreated == true)
            Set(s, MachinePoolConditions.BootstrapConfigReady, true, MachinePoolReasons.BootstrapConfigReady, "");
        else
            Set(s, MachinePoolConditions.BootstrapConfigReady, false, MachinePoolReasons.BootstrapConfigNotReady,
                $"{pool.Spec.Template.Spec.Bootstrap.ConfigRef?.Kind} status.initialization.dataSecretCreated is false");

        var infraKind = pool.Spec.Template.Spec.InfrastructureRef.Kind;
        if (s.InfraPoolNotFound)
            Set(s, MachinePoolConditions.InfrastructureReady, false,
                init?.InfrastructureProvisioned == true ? MachinePoolReasons.InfrastructureDeleted : MachinePoolReasons.InfrastructureDoesNotExist,
                $"{infraKind} does not exist");
        else if (init?.InfrastructureProvisioned == true)
            Set(s, MachinePoolConditions.InfrastructureReady, true, MachinePoolReasons.InfrastructureReady, "");
        else
            Set(s, MachinePoolConditions.InfrastructureReady, false, MachinePoolReasons.InfrastructureNotReady, $"{infraKind} is not provisioned");

        if (current == 0 && desired == 0)
            Set(s, MachinePoolConditions.MachinesReady, true, MachinePoolReasons.MachinesNoReplicas, "");
        else if (ready >= current && current == desired)
            Set(s, MachinePoolConditions.MachinesReady, true, MachinePoolReasons.MachinesReady, "");
        else
            Set(s, MachinePoolConditions.MachinesReady, false, MachinePoolReasons.MachinesNotReady, $"{ready} of {desired} replicas are ready");

        if (upToDate >= desired)
            Set(s, MachinePoolConditions.MachinesUpToDate, true, desired == 0 ? MachinePoolReasons.MachinesNoReplicas : MachinePoolReasons.MachinesUpToDate, "");
        else
            Set(s, MachinePoolConditions.MachinesUpToDate, false, MachinePoolReasons.MachinesNotUpToDate, $"{upToDate} of {desired} replicas are up to date");

        if (!deleting && desired > current)
            Set(s, MachinePoolConditions.ScalingUp, true, MachinePoolReasons.ScalingUp, $"Scaling up from {current} to {desired} replicas");
        else
            Set(s, MachinePoolConditions.ScalingUp, false, MachinePoolReasons.NotScalingUp, "");
        if (deleting || desired < current)
            Set(s, MachinePoolConditions.ScalingDown, true, MachinePoolReasons.ScalingDown, $"Scaling down from {current} to {(deleting ? 0 : desired)} replicas");
        else
            Set(s, MachinePoolConditions.ScalingDown, false, MachinePoolReasons.NotScalingDown, "");

        Set(s, MachinePoolConditions.Remediating, false, MachinePoolReasons.NotRemediating, "");

        if (!deleting && available >= desired && init?.InfrastructureProvisioned == true)
            Set(s, MachinePoolConditions.Available, true, MachinePoolReasons.Available, "");
        else
            Set(s, MachinePoolConditions.Available, false, MachinePoolReasons.NotAvailable,
                deleting ? "MachinePool is being deleted" : $"{available} of {desired} replicas are available");

        if (deleting)
            Set(s, MachinePoolConditions.Deleting, true, MachinePoolReasons.Deleting, "Deleting the bootstrap config, the infrastructure and the Nodes");
        else
            Set(s, MachinePoolConditions.Deleting, false, MachinePoolReasons.NotDeleting, "");
    }

    private static void Set(MachinePoolScope s, string type, bool status, string reason, string message) =>
        Conditions.Set(s.Pool.Status, type, ConditionStatus.Of(status), reason, message, s.Pool.Metadata.Generation, s.Now.UtcDateTime);
}
