using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>The Machine reconciler: turns a Machine, its bootstrap config and its infrastructure machine into
/// a Node of the workload cluster, and takes them apart again on deletion (CAPI's machine controller).</summary>
/// <remarks>
/// Each step runs the phases in CAPI's order (owner and labels, bootstrap, infrastructure, node; deletion
/// when the Machine is being deleted), then computes the whole status from what was observed
/// (<see cref="MachineStatusCalculator"/>). It waits for changes of the bootstrap config and the
/// infrastructure machine (their controller owner reference routes their events here) and polls with a
/// short durable timer only for what sends no events: the Cluster's progress and the workload cluster's Node.
/// </remarks>
public sealed partial class MachineReconciler(KubeApi kube, WorkloadClusters workloads, ILogger<MachineReconciler> logger,
    EventRecorder? events = null)
    : ObjectReconciler<Api.Machine>(kube, logger, events)
{
    protected override async Task<ReconcileResult> ReconcileAsync(Api.Machine machine, ReconcileContext context, CancellationToken ct)
    {
        var s = new MachineScope(machine, context.Now);
        var ns = machine.Metadata.NamespaceProperty;
        // Checked before defaulting and before anything is written: without a cluster name there is no Cluster to own
        // the Machine (an owner reference to nothing gets it garbage collected), and a bad version must not be rolled out.
        if (!s.IsDeleting && Validate(machine) is { } problem)
            return InvalidInput.Report(Logger, Kind, machine.Metadata, machine.Status, problem, context.Now);
        InvalidInput.Clear(machine.Status);
        CapiDefaults.Default(machine);
        s.Cluster = string.IsNullOrEmpty(machine.Spec.ClusterName) ? null : await Kube.GetAsync<Api.Cluster>(ns, machine.Spec.ClusterName, ct);

        if (!s.IsDeleting)
        {
            machine.Metadata.Finalizers ??= [];
            if (!machine.Metadata.Finalizers.Contains(CapiFinalizers.Machine))
                machine.Metadata.Finalizers.Add(CapiFinalizers.Machine);
        }

        var phases = new PhaseRunner<MachineScope>(s, Logger, Kind, ns, machine.Metadata.Name);
        if (s.Cluster is null && !s.IsDeleting)
        {
            Logger.LogInformation("Machine {Namespace}/{Name} waits for Cluster {Cluster}", ns, machine.Metadata.Name, machine.Spec.ClusterName);
            phases.Add(ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(machine.Metadata.CreationTimestamp), s.Now)));
        }
        else
        {
            await phases.RunAsync(ReconcileOwnerAndLabelsAsync, "owner", ct);
            await phases.RunAsync(ReconcileBootstrapAsync, "bootstrap", ct);
            await phases.RunAsync(ReconcileInfrastructureAsync, "infrastructure", ct);
            await phases.RunAsync(ReconcileNodeAsync, "node", ct);
            if (s.IsDeleting) await phases.RunAsync(ReconcileDeleteAsync, "delete", ct);
        }

        var observedGeneration = machine.Status.ObservedGeneration;
        if (MachineStatusCalculator.Apply(s) is { } minReady)
            phases.Add(ReconcileResult.Requeue(minReady));
        // Only a clean reconcile may claim to have observed this generation.
        if (phases.Failed) machine.Status.ObservedGeneration = observedGeneration;

        return phases.Finish(machine.Status.Phase);
    }

    internal static InputProblem? Validate(Api.Machine machine) => InvalidInput.First(
        InvalidInput.ClusterName("spec.clusterName", machine.Spec.ClusterName),
        InvalidInput.Version("spec.version", machine.Spec.Version));
}
