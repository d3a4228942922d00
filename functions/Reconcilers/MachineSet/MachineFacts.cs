using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>What the fleet reconcilers read from a Machine: its v1beta2 conditions and annotations, never a
/// conclusion of their own from an earlier step.</summary>
public static class MachineFacts
{
    public static bool IsDeleting(Api.Machine m) => m.Metadata.DeletionTimestamp is not null;

    public static bool IsReady(Api.Machine m) => Conditions.IsTrue(m.Status.Conditions, MachineConditions.Ready);

    public static bool IsAvailable(Api.Machine m) => Conditions.IsTrue(m.Status.Conditions, MachineConditions.Available);

    public static bool IsUpToDate(Api.Machine m) => Conditions.IsTrue(m.Status.Conditions, MachineConditions.UpToDate);

    /// <summary>Marked unhealthy by a MachineHealthCheck.</summary>
    public static bool IsUnhealthy(Api.Machine m) => Conditions.IsFalse(m.Status.Conditions, MachineConditions.HealthCheckSucceeded);

    /// <summary>Marked unhealthy and waiting for its owner (the MachineSet) to remediate it.</summary>
    public static bool IsUnhealthyAndOwnerRemediated(Api.Machine m) =>
        IsUnhealthy(m) && Conditions.IsFalse(m.Status.Conditions, MachineConditions.OwnerRemediated);

    /// <summary>Healthy for the purpose of choosing what to delete first: it has a Node, the Node is not
    /// reported unhealthy and no health check failed (Unknown is not held against it).</summary>
    public static bool IsHealthyForDeletion(Api.Machine m) =>
        m.Status.NodeRef is { Name.Length: > 0 }
        && !Conditions.IsFalse(m.Status.Conditions, MachineConditions.NodeHealthy)
        && !IsUnhealthy(m);

    public static bool HasAnnotation(V1ObjectMeta meta, string key) => meta.Annotations?.ContainsKey(key) == true;

    public static DateTime CreatedAt(V1ObjectMeta meta) =>
        meta.CreationTimestamp is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : DateTime.MinValue;

    /// <summary>The uid of the object's controller owner, or null.</summary>
    public static string? ControllerUid(V1ObjectMeta meta) => OwnerReferences.ControllerOf(meta)?.Uid;
}
