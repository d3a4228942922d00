using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.MachinePools;

/// <summary>The MachinePool reconciler (CAPI's machinepool controller): takes the bootstrap data from the bootstrap
/// config, follows the infrastructure MachinePool (provisioned flag, replicas, provider IDs), maps the provider IDs to
/// workload Nodes (<c>status.nodeRefs</c>), creates a Machine for each infrastructure machine instance when the provider
/// reports their kind, and on deletion deletes the bootstrap config, the infrastructure MachinePool and the Nodes.</summary>
/// <remarks>Woken by its bootstrap config, infrastructure MachinePool and Machines (their controller owner reference is
/// the pool) and by its Cluster's milestones; it polls only for workload Nodes, which send no events.</remarks>
public sealed partial class MachinePoolReconciler(KubeApi kube, WorkloadClusters workloads, ILogger<MachinePoolReconciler> logger,
    EventRecorder? events = null)
    : ObjectReconciler<Api.MachinePool>(kube, logger, events)
{
    /// <summary>How soon to look again for Nodes or replicas that are not there yet (no event tells).</summary>
    public static TimeSpan NodePoll { get; set; } = TimeSpan.FromSeconds(5);

    protected override async Task<ReconcileResult> ReconcileAsync(Api.MachinePool pool, ReconcileContext context, CancellationToken ct)
    {
        var s = new MachinePoolScope(pool, context.Now);
        if (!s.IsDeleting && InvalidInput.First(
                InvalidInput.ClusterName("spec.clusterName", pool.Spec.ClusterName),
                InvalidInput.Version("spec.template.spec.version", pool.Spec.Template.Spec.Version)) is { } problem)
            return InvalidInput.Report(Logger, Kind, pool.Metadata, pool.Status, problem, context.Now);
        InvalidInput.Clear(pool.Status);
        CapiDefaults.Default(pool);

        s.Cluster = await Kube.GetAsync<Api.Cluster>(s.Namespace, pool.Spec.ClusterName, ct);
        var phases = new PhaseRunner<MachinePoolScope>(s, Logger, Kind, s.Namespace, pool.Metadata.Name);
        if (s.Cluster is null && !s.IsDeleting)
        {
            Logger.LogInformation("MachinePool {Namespace}/{Name} waits for Cluster {Cluster}", s.Namespace, pool.Metadata.Name, pool.Spec.ClusterName);
            phases.Add(ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(pool.Metadata.CreationTimestamp), s.Now)));
        }
        else
        {
            if (!s.IsDeleting)
            {
                pool.Metadata.Finalizers ??= [];
                if (!pool.Metadata.Finalizers.Contains(CapiFinalizers.MachinePool)) pool.Metadata.Finalizers.Add(CapiFinalizers.MachinePool);
            }
            await phases.RunAsync(ReconcileOwnerAndLabelsAsync, "owner", ct);
            if (s.IsDeleting)
            {
                await phases.RunAsync(ReconcileDeleteAsync, "delete", ct);
            }
            else
            {
                await phases.RunAsync(ReconcileBootstrapAsync, "bootstrap", ct);
                await phases.RunAsync(ReconcileInfrastructureAsync, "infrastructure", ct);
                await phases.RunAsync(ReconcileMachinesAsync, "machines", ct, needsEarlierPhases: true);
                await phases.RunAsync(ReconcileNodeRefsAsync, "nodeRefs", ct, needsEarlierPhases: true);
                await phases.RunAsync(ReconcileMachinesUpToDateAsync, "machinesUpToDate", ct, needsEarlierPhases: true);
            }
        }

        var observedGeneration = pool.Status.ObservedGeneration;
        MachinePoolStatusCalculator.Apply(s);
        if (phases.Failed) pool.Status.ObservedGeneration = observedGeneration;
        return phases.Finish(pool.Status.Phase);
    }
}
