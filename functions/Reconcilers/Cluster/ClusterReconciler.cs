using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Kinds;
using ServerlessCapi.Reconcilers.Topology;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Clusters;

/// <summary>The Cluster reconciler: adopts the infrastructure cluster and the control plane, summarises the
/// cluster's state into its conditions and phase, and tears the cluster down in CAPI's order.</summary>
/// <remarks>
/// Woken by changes of its infrastructure cluster and control plane (controller owner references) and of
/// its Machines, MachineSets and MachineDeployments (cluster-name label), and by the probe timer
/// (<see cref="Hosting.WorkloadProber"/>) when its workload cluster's API or Nodes change. Each step probes the workload
/// cluster; while the probe fails it retries on a short backoff.
/// </remarks>
public sealed partial class ClusterReconciler(KubeApi kube, WorkloadClusters workloads, ILogger<ClusterReconciler> logger,
    EventRecorder? events = null, ClusterTopologyReconciler? topology = null)
    : ObjectReconciler<Api.Cluster>(kube, logger, events)
{
    protected override async Task<ReconcileResult> ReconcileAsync(Api.Cluster cluster, ReconcileContext context, CancellationToken ct)
    {
        CapiDefaults.Default(cluster);
        var s = new ClusterScope(cluster, context.Now);
        var ns = cluster.Metadata.NamespaceProperty;
        if (!s.IsDeleting)
        {
            cluster.Metadata.Finalizers ??= [];
            if (!cluster.Metadata.Finalizers.Contains(CapiFinalizers.Cluster))
                cluster.Metadata.Finalizers.Add(CapiFinalizers.Cluster);
        }

        var phases = new PhaseRunner<ClusterScope>(s, Logger, Kind, ns, cluster.Metadata.Name);
        // A managed topology makes (and keeps in sync) the parts the later phases adopt and summarise.
        if (cluster.Spec.Topology is not null && topology is not null)
            await phases.RunAsync((scope, token) => topology.ReconcileAsync(scope.Cluster, scope.Now, token), "topology", ct);
        await phases.RunAsync(ReconcileInfrastructureAsync, "infrastructure", ct);
        await phases.RunAsync(ReconcileControlPlaneAsync, "controlPlane", ct);
        await phases.RunAsync(ReadDescendantsAsync, "descendants", ct);
        if (!s.IsDeleting)
        {
            await phases.RunAsync(ReconcileKubeconfigOwnerAsync, "kubeconfig", ct);
            await phases.RunAsync(ProbeAsync, "probe", ct);
            await phases.RunAsync((scope, token) => WakeMachinesWhoseNodeChangedAsync(scope, context, token), "nodes", ct);
        }
        else
        {
            await phases.RunAsync(ReconcileDeleteAsync, "delete", ct, needsEarlierPhases: true);
        }

        var observedGeneration = cluster.Status.ObservedGeneration;
        var phaseBefore = cluster.Status.Phase;
        ClusterStatusCalculator.Apply(s);
        if (cluster.Status.Phase is { Length: > 0 } phase && phase != phaseBefore)
            await NormalEventAsync(cluster, phase, "SetPhase", $"Cluster {cluster.Metadata.Name} is {phase}", ct);
        if (phases.Failed) cluster.Status.ObservedGeneration = observedGeneration;
        if (s.IsDeleting && !(cluster.Metadata.Finalizers?.Contains(CapiFinalizers.Cluster) ?? false))
            workloads.Forget(ns, cluster.Metadata.Name);
        return phases.Finish(cluster.Status.Phase);
    }

    /// <summary>Workload Nodes are not relayed: after a successful probe the Cluster lists its workload cluster's Nodes
    /// once and wakes each Machine whose NodeReady condition no longer says what its Node's Ready condition says (or
    /// whose Node is gone). The cost is one list per cluster per probe, and management-cluster requests only for
    /// Machines whose Node changed, so keeping node conditions fresh does not grow with the number of Machines.</summary>
    private async Task<ReconcileResult> WakeMachinesWhoseNodeChangedAsync(ClusterScope s, ReconcileContext context, CancellationToken ct)
    {
        if (s.Probe is not { Succeeded: true }) return ReconcileResult.Done();
        var machines = s.ControlPlaneMachines.Concat(s.WorkerMachines)
            .Where(m => m.Status.NodeRef?.Name is { Length: > 0 } && m.Metadata.DeletionTimestamp is null)
            .ToList();
        if (machines.Count == 0) return ReconcileResult.Done();
        var ns = s.Cluster.Metadata.NamespaceProperty;
        if (await workloads.GetAsync(ns, s.Cluster.Metadata.Name, ct) is not { } workload) return ReconcileResult.Done();
        var nodes = (await workload.ListAsync<k8s.Models.V1Node>(null, ct: ct))
            .GroupBy(n => n.Metadata.Name, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var m in machines)
        {
            var nodeReady = nodes.TryGetValue(m.Status.NodeRef!.Name, out var node)
                ? NodeReady(node)
                : null;
            var machineSays = Conditions.Get(m.Status.Conditions, MachineConditions.NodeReady)?.Status;
            var stale = nodeReady is null ? machineSays != ConditionStatus.False : machineSays != nodeReady;
            if (!stale) continue;
            var key = new ObjectKey(Api.Machine.KubeKind, ns, m.Metadata.Name, m.Metadata.Uid);
            context.Wake(key);
        }
        return ReconcileResult.Done();
    }

    /// <summary>A Node's Ready status as the Cluster compares it with its Machine's NodeReady condition (and the probe
    /// timer with its previous round).</summary>
    internal static string NodeReady(k8s.Models.V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status ?? ConditionStatus.Unknown;

    /// <summary>A Cluster that pauses or resumes wakes every object of the cluster, so each one reports (and
    /// obeys) the new state at once; a Cluster change does not wake them otherwise.</summary>
    protected override async Task OnPauseChangedAsync(Api.Cluster cluster, bool paused, ReconcileContext context, CancellationToken ct)
    {
        var selector = $"{CapiLabels.ClusterName}={cluster.Metadata.Name}";
        var woken = 0;
        foreach (var (kind, info) in ReconciledKinds.All.Where(k => k.Kind != Api.Cluster.KubeKind).Select(k => (k.Kind, k.Info)))
        {
            foreach (var obj in await Kube.ListJsonAsync(CapiResources.For(info.Group, info.Kind), cluster.Metadata.NamespaceProperty, selector, ct))
            {
                var key = new ObjectKey(kind, ExternalObjects.Text(obj, "metadata", "namespace"), ExternalObjects.Text(obj, "metadata", "name")!,
                    ExternalObjects.Text(obj, "metadata", "uid")!);
                context.Wake(key);
                woken++;
            }
        }
        Logger.LogInformation("Cluster {Namespace}/{Name} {Change}; woke {Count} objects", cluster.Metadata.NamespaceProperty, cluster.Metadata.Name,
            paused ? "paused" : "resumed", woken);
    }
}
