using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessCapi.Durable;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Kinds;

/// <summary>Puts the reconcilers of <see cref="ReconciledKinds"/> into the engine.</summary>
public static class ReconcilerRegistration
{
    /// <summary>Adds the workflow of every reconciled kind <paramref name="include"/> accepts (default: all), the workload
    /// cluster client cache and the admin API. Needs a management-cluster <see cref="Kube.Access.KubeApi"/> in the container.</summary>
    public static DurableWorkflowsBuilder AddReconcilers(this DurableWorkflowsBuilder workflows, Func<ReconciledKind, bool>? include = null)
    {
        workflows.Services.TryAddSingleton<WorkloadClusters>();
        workflows.Services.TryAddSingleton<AdminApi>();
        foreach (var kind in ReconciledKinds.All.Where(include ?? (_ => true)))
            workflows.AddWorkflow(kind.Workflow);
        return workflows;
    }

    /// <summary>The core reconcilers only (Cluster, Machine).</summary>
    public static DurableWorkflowsBuilder AddCoreReconcilers(this DurableWorkflowsBuilder workflows) =>
        workflows.AddReconcilers(k => k == ReconciledKinds.Cluster || k == ReconciledKinds.Machine);
}
