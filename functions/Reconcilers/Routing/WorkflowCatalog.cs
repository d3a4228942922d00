using System.Collections.Frozen;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Routing;

/// <summary>Which kinds are reconciled by a workflow, under which workflow name and instance id.</summary>
/// <remarks>
/// One instance per object (<c>Kind/uid</c>), named after the kind it reconciles, so the dispatcher, the
/// admin API and the reconcilers agree on where an object's workflow lives without asking each other.
/// </remarks>
public sealed class WorkflowCatalog
{
    private readonly FrozenDictionary<string, string> _workflowByKind;

    public WorkflowCatalog(IEnumerable<string> kinds)
    {
        _workflowByKind = kinds.Distinct(StringComparer.Ordinal).ToFrozenDictionary(k => k, k => k, StringComparer.Ordinal);
    }

    /// <summary>The kinds with a workflow in this product: the core kinds, the kubeadm providers and the in-memory infrastructure.</summary>
    public static WorkflowCatalog Default { get; } = new(
    [
        "Cluster", "Machine", "MachineSet", "MachineDeployment", "MachineHealthCheck",
        "KubeadmConfig", "KubeadmControlPlane",
        "DevCluster", "DevMachine",
    ]);

    public IEnumerable<string> Kinds => _workflowByKind.Keys;

    public bool IsReconciled(string kind) => _workflowByKind.ContainsKey(kind);

    /// <summary>The workflow that reconciles <paramref name="kind"/>, or null when no workflow does.</summary>
    public string? WorkflowFor(string kind) => _workflowByKind.GetValueOrDefault(kind);

    /// <summary>The instance id of an object's workflow.</summary>
    public static string InstanceIdFor(ObjectKey key) => key.InstanceId;
}
