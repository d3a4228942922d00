using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Durable;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>The Machine workflow: turns a Machine, its bootstrap config and its infrastructure machine into
/// a Node of the workload cluster, and takes them apart again on deletion (CAPI's machine controller).</summary>
/// <remarks>
/// Each step runs the phases in CAPI's order (owner and labels, bootstrap, infrastructure, node; deletion
/// when the Machine is being deleted), then computes the whole status from what was observed
/// (<see cref="MachineStatusCalculator"/>). It waits for changes of the bootstrap config and the
/// infrastructure machine (their controller owner reference routes their events here) and polls with a
/// short durable timer only for what sends no events: the Cluster's progress and the workload cluster's Node.
/// </remarks>
public sealed partial class MachineWorkflow(KubeApi kube, WorkloadClusters workloads, ILogger<MachineWorkflow> logger)
    : ObjectWorkflow<Api.Machine>(kube, logger)
{
    public const string WorkflowName = "Machine";

    private static readonly TimeSpan ErrorRetry = TimeSpan.FromSeconds(5);

    protected override async Task<ReconcileResult> ReconcileAsync(Api.Machine machine, WorkflowContext<ObjectState> context, CancellationToken ct)
    {
        CapiDefaults.Default(machine);
        var s = new MachineScope(machine, context.Now);
        var ns = machine.Metadata.NamespaceProperty;
        s.Cluster = await Kube.GetAsync<Api.Cluster>(ns, machine.Spec.ClusterName, ct);

        if (!s.IsDeleting)
        {
            machine.Metadata.Finalizers ??= [];
            if (!machine.Metadata.Finalizers.Contains(CapiFinalizers.Machine))
                machine.Metadata.Finalizers.Add(CapiFinalizers.Machine);
        }

        var result = ReconcileResult.Done();
        var failed = false;
        async Task Run(Func<MachineScope, CancellationToken, Task<ReconcileResult>> phase, string name)
        {
            try
            {
                result = result.Merge(await phase(s, ct));
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException)
            {
                failed = true;
                Logger.LogWarning("Machine {Namespace}/{Name}: phase {Phase} failed: {Error}", ns, machine.Metadata.Name, name, e.Message);
                result = result.Merge(ReconcileResult.Requeue(ErrorRetry));
            }
        }

        if (s.Cluster is null && !s.IsDeleting)
        {
            Logger.LogInformation("Machine {Namespace}/{Name} waits for Cluster {Cluster}", ns, machine.Metadata.Name, machine.Spec.ClusterName);
            result = result.Merge(ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(machine.Metadata.CreationTimestamp), s.Now)));
        }
        else
        {
            await Run(ReconcileOwnerAndLabelsAsync, "owner");
            await Run(ReconcileBootstrapAsync, "bootstrap");
            await Run(ReconcileInfrastructureAsync, "infrastructure");
            await Run(ReconcileNodeAsync, "node");
            if (s.IsDeleting) await Run(ReconcileDeleteAsync, "delete");
        }

        var observedGeneration = machine.Status.ObservedGeneration;
        if (MachineStatusCalculator.Apply(s) is { } minReady)
            result = result.Merge(ReconcileResult.Requeue(minReady));
        // Only a clean reconcile may claim to have observed this generation.
        if (failed) machine.Status.ObservedGeneration = observedGeneration;

        return result with { Summary = machine.Status.Phase };
    }
}
