using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessCapi.Durable;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Kinds;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Hosting;

/// <summary>Puts the reconcilers of <see cref="ReconciledKinds"/> into the engine, each behind an <see cref="ObjectWorkflow{TReconciler}"/>.</summary>
public static class ReconcilerRegistration
{
    /// <summary>Adds the reconciler of every reconciled kind <paramref name="include"/> accepts (default: all), the workload
    /// cluster client cache and the admin API. Needs a management-cluster <see cref="Kube.Access.KubeApi"/> in the container.</summary>
    public static DurableWorkflowsBuilder AddReconcilers(this DurableWorkflowsBuilder workflows, Func<ReconciledKind, bool>? include = null)
    {
        workflows.Services.TryAddSingleton<WorkloadClusters>();
        workflows.Services.TryAddSingleton<AdminApi>();
        foreach (var kind in ReconciledKinds.All.Where(include ?? (_ => true)))
            workflows.AddReconciler(kind.Reconciler);
        return workflows;
    }

    /// <summary>The core reconcilers only (Cluster, Machine).</summary>
    public static DurableWorkflowsBuilder AddCoreReconcilers(this DurableWorkflowsBuilder workflows) =>
        workflows.AddReconcilers(k => k == ReconciledKinds.Cluster || k == ReconciledKinds.Machine);

    /// <summary>Hosts one reconciler type (resolved, with its dependencies, from a fresh scope for every step).</summary>
    public static DurableWorkflowsBuilder AddReconciler<TReconciler>(this DurableWorkflowsBuilder workflows)
        where TReconciler : class, IObjectReconciler => workflows.AddReconciler(typeof(TReconciler));

    public static DurableWorkflowsBuilder AddReconciler(this DurableWorkflowsBuilder workflows, Type reconciler)
    {
        workflows.Services.TryAddScoped(reconciler);
        return workflows.AddWorkflow(WorkflowTypeFor(reconciler));
    }

    /// <summary>The engine's workflow type hosting <paramref name="reconciler"/>.</summary>
    public static Type WorkflowTypeFor(Type reconciler) => typeof(ObjectWorkflow<>).MakeGenericType(reconciler);

    /// <summary>A ready-made workflow hosting <paramref name="reconciler"/> (tests drive it step by step).</summary>
    public static ObjectWorkflow<TReconciler> Host<TReconciler>(TReconciler reconciler) where TReconciler : IObjectReconciler => new(reconciler);
}
