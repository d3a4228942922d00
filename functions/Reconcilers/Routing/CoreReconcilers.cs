using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessCapi.Durable;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Reconcilers.Clusters;
using ServerlessCapi.Reconcilers.Machine;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Routing;

/// <summary>Registration of the core reconcilers (Cluster, Machine) and what they share.</summary>
public static class CoreReconcilers
{
    /// <summary>Adds the Cluster and Machine workflows, the workload cluster client cache and the admin API.
    /// Needs a management-cluster <see cref="Kube.Access.KubeApi"/> in the container.</summary>
    public static DurableWorkflowsBuilder AddCoreReconcilers(this DurableWorkflowsBuilder workflows)
    {
        workflows.Services.TryAddSingleton<WorkloadClusters>();
        workflows.Services.TryAddSingleton(WorkflowCatalog.Default);
        workflows.Services.TryAddSingleton<AdminApi>();
        return workflows.AddWorkflow<ClusterWorkflow>().AddWorkflow<MachineWorkflow>();
    }
}
