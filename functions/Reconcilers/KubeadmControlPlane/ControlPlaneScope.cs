using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.ControlPlane;

namespace ServerlessCapi.Reconcilers.KubeadmControlPlane;

/// <summary>What one reconcile of a control plane observed: its Cluster, Machines and their parts, and the
/// workload cluster's Nodes. Everything is read afresh each step.</summary>
public sealed class ControlPlaneScope
{
    public required Api.KubeadmControlPlane Kcp { get; init; }
    public required Api.Cluster Cluster { get; init; }
    public required IReadOnlyList<Api.Machine> Machines { get; init; }
    public required ISet<string> Configs { get; init; }
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
        return IsUpToDate(m) ? null : $"{Kcp.Spec.MachineTemplate.Spec.InfrastructureRef.Kind} is not {Kcp.Spec.MachineTemplate.Spec.InfrastructureRef.Name}";
    }

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
