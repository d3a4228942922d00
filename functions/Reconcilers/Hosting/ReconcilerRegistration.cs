using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Kinds;
using ServerlessCapi.Reconcilers.Topology;
using ServerlessCapi.Reconcilers.Topology.Patches;
using ServerlessCapi.Reconcilers.Topology.Variables;
using ServerlessCapi.Reconcilers.Workload;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Reconcilers.Hosting;

/// <summary>Puts the reconcilers of <see cref="ReconciledKinds"/> behind the durable side's one entry point
/// (<see cref="IObjectReconcile"/>, implemented by <see cref="KindReconcile"/>).</summary>
public static class ReconcilerRegistration
{
    /// <summary>Adds the reconciler of every reconciled kind <paramref name="include"/> accepts (default: all), the workload
    /// cluster client cache and the admin API. Needs a management-cluster <see cref="Kube.Access.KubeApi"/> in the container.</summary>
    public static IServiceCollection AddReconcilers(this IServiceCollection services, Func<ReconciledKind, bool>? include = null)
    {
        services.TryAddSingleton<WorkloadClusters>();
        services.TryAddSingleton<AdminApi>();
        // Managed topologies: the patch engine and the variables of a ClusterClass; a registration made before this
        // call wins (external patches need an IExternalPatchExtension registered as well).
        services.TryAddSingleton<ITopologyPatchEngine, ClusterClassPatchEngine>();
        services.TryAddSingleton<IClusterClassVariables, ClusterClassVariables>();
        services.TryAddScoped<ClusterTopologyReconciler>();
        foreach (var kind in ReconciledKinds.All.Where(include ?? (_ => true)))
            services.AddReconciler(kind.Reconciler);
        return services;
    }

    /// <summary>The core reconcilers only (Cluster, Machine).</summary>
    public static IServiceCollection AddCoreReconcilers(this IServiceCollection services) =>
        services.AddReconcilers(k => k == ReconciledKinds.Cluster || k == ReconciledKinds.Machine);

    /// <summary>Hosts one reconciler type (resolved, with its dependencies, from a fresh scope for every reconcile); a
    /// later registration for the same kind replaces an earlier one.</summary>
    public static IServiceCollection AddReconciler<TReconciler>(this IServiceCollection services)
        where TReconciler : class, IObjectReconciler => services.AddReconciler(typeof(TReconciler));

    public static IServiceCollection AddReconciler(this IServiceCollection services, Type reconciler)
    {
        services.TryAddScoped(reconciler);
        services.AddSingleton(new ReconcilerType(reconciler));
        services.TryAddSingleton<ReconcilerTypes>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IObjectReconcile, KindReconcile>();
        return services;
    }
}

/// <summary>One registered reconciler type.</summary>
public sealed record ReconcilerType(Type Type);
