using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.ControlPlane;
using ServerlessCapi.Reconcilers.ProviderCommon;

namespace ServerlessCapi.Reconcilers.KubeadmControlPlane;

/// <summary>What one reconcile of a control plane observed: its Cluster, Machines and their parts, and the
/// workload cluster's Nodes. Everything is read afresh each step.</summary>
public sealed class ControlPlaneScope
{
    public required Api.KubeadmControlPlane Kcp { get; init; }
    public required Api.Cluster Cluster { get; init; }
    public required IReadOnlyList<Api.Machine> Machines { get; init; }
    public required ISet<string> Configs { get; init; }

    /// <summary>The KubeadmConfigs of the Machines, by name (the Machine's name).</summary>
    public IReadOnlyDictionary<string, Api.KubeadmConfig> ConfigObjects { get; init; } = new Dictionary<string, Api.KubeadmConfig>();

    /// <summary>The time of this reconcile (rollout.after and certificate expiry are judged against it).</summary>
    public DateTimeOffset Now { get; init; }
    public required IReadOnlyDictionary<string, JsonObject> InfraMachines { get; init; }

    /// <summary>The infrastructure template, or null when it does not exist (yet).</summary>
    public JsonObject? InfraTemplate { get; init; }

    /// <summary>Node readiness by name, or null when the workload cluster cannot be reached.</summary>
    public IReadOnlyDictionary<string, bool>? Nodes { get; init; }

    public string Namespace => Kcp.Metadata.NamespaceProperty;
    public string ClusterName => Cluster.Metadata.Name;
    public int Desired => Kcp.Spec.Replicas ?? 1;

    public IEnumerable<Api.Machine> Active => Machines.Where(m => m.Metadata.DeletionTimestamp is null);

    public bool IsUpToDate(Api.Machine m)
    {
        if (m.Spec.Version != Kcp.Spec.Version) return false;
        if (RolloutAfterReached(m) || CertificatesExpireSoon(m)) return false;
        if (!InfraMachines.TryGetValue(m.Metadata.Name, out var infra)) return true; // Not created yet: it will be from the current template.
        var annotations = infra["metadata"]?["annotations"] as JsonObject;
        var clonedFrom = annotations?[CapiAnnotations.ClonedFromName]?.GetValue<string>();
        var clonedKind = annotations?[CapiAnnotations.ClonedFromGroupKind]?.GetValue<string>();
        var wanted = Kcp.Spec.MachineTemplate.Spec.InfrastructureRef;
        return clonedFrom == wanted.Name && clonedKind == $"{wanted.Kind}.{wanted.ApiGroup}";
    }

    public string? OutdatedReason(Api.Machine m)
    {
        if (m.Spec.Version != Kcp.Spec.Version) return $"Version {m.Spec.Version}, {Kcp.Spec.Version} required";
        if (RolloutAfterReached(m)) return "KubeadmControlPlane spec.rollout.after expired";
        if (CertificatesExpireSoon(m)) return "Certificates will expire soon";
        return IsUpToDate(m) ? null : $"{Kcp.Spec.MachineTemplate.Spec.InfrastructureRef.Kind} is not {Kcp.Spec.MachineTemplate.Spec.InfrastructureRef.Name}";
    }

    /// <summary><c>spec.rollout.after</c> has passed and the Machine was created before it.</summary>
    public bool RolloutAfterReached(Api.Machine m) =>
        Kcp.Spec.Rollout?.After is { } after && Utc(after) <= Now.UtcDateTime
        && m.Metadata.CreationTimestamp is { } created && Utc(created) < Utc(after);

    /// <summary>The Machine's certificates expire within <c>spec.rollout.before.certificatesExpiryDays</c>.</summary>
    public bool CertificatesExpireSoon(Api.Machine m) =>
        Kcp.Spec.Rollout?.Before?.CertificatesExpiryDays is { } days and > 0
        && CertificatesExpiry(m) is { } expiry
        && Now.UtcDateTime.AddDays(days) > expiry;

    /// <summary>When the Machine's certificates expire: its status, else the annotation on it or on its KubeadmConfig
    /// (the Machine controller copies it into the status a step later).</summary>
    public DateTime? CertificatesExpiry(Api.Machine m)
    {
        if (m.Status.CertificatesExpiryDate is { } recorded) return Utc(recorded);
        var text = m.Metadata.Annotation(CapiAnnotations.MachineCertificatesExpiry)
            ?? (ConfigObjects.TryGetValue(m.Metadata.Name, out var config) ? config.Metadata.Annotation(CapiAnnotations.MachineCertificatesExpiry) : null);
        return text is not null && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var expiry)
            ? expiry.UtcDateTime
            : null;
    }

    private static DateTime Utc(DateTime t) => t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime();

    /// <summary>Its Node is up and Ready (seen in the workload cluster, or reported by the Machine's Ready condition).</summary>
    public bool IsHealthy(Api.Machine m)
    {
        var nodeName = m.Status.NodeRef?.Name ?? m.Metadata.Name;
        if (Nodes is not null && Nodes.TryGetValue(nodeName, out var ready) && ready) return true;
        return Conditions.IsTrue(m.Status, CommonConditions.Ready);
    }

    /// <summary>The control plane has been initialised (sticky: once true it stays true).</summary>
    public bool Initialized =>
        Kcp.Status.Initialization?.ControlPlaneInitialized == true
        || Machines.Any(m => m.Status.NodeRef is not null || IsHealthy(m));

    public IReadOnlyList<ControlPlaneMachine> PlannerView() =>
        Machines.Select(m => new ControlPlaneMachine(m.Metadata.Name, m.Metadata.CreationTimestamp ?? DateTime.MinValue,
            m.Metadata.DeletionTimestamp is not null, IsUpToDate(m), IsHealthy(m))).ToList();

    public ISet<string> TakenNames() =>
        new HashSet<string>(Machines.Select(m => m.Metadata.Name).Concat(Configs).Concat(InfraMachines.Keys), StringComparer.Ordinal);

    public static bool OwnedBy(V1ObjectMeta meta, V1ObjectMeta owner) =>
        meta.OwnerReferences?.Any(o => o.Controller == true && o.Uid == owner.Uid) == true;
}
