using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Clusters;

/// <summary>Cluster deletion in CAPI's order: workers (MachineDeployments, MachineSets, stand-alone worker
/// Machines, MachineHealthChecks), then the control plane, then the infrastructure cluster, then the finalizer.</summary>
public sealed partial class ClusterReconciler
{
    private async Task<ReconcileResult> ReconcileDeleteAsync(ClusterScope s, CancellationToken ct)
    {
        var c = s.Cluster;
        var ns = c.Metadata.NamespaceProperty;
        // Descendants' deletion events wake us through their cluster-name label; the timer is a safety net.
        var safetyNet = ReconcileResult.Requeue(Backoff.Since(Backoff.Utc(c.Metadata.DeletionTimestamp), s.Now, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));

        var deployments = s.MachineDeployments.ToList();
        var sets = s.MachineSets.Where(ms => OwnerReferences.ControllerOf(ms.Metadata) is null).ToList();
        var workers = s.WorkerMachines.Where(m => OwnerReferences.ControllerOf(m.Metadata) is null).ToList();
        foreach (var md in deployments.Where(x => x.Metadata.DeletionTimestamp is null))
            await Kube.DeleteAsync<MachineDeployment>(ns, md.Metadata.Name, md.Metadata.Uid, ct: ct);
        foreach (var ms in sets.Where(x => x.Metadata.DeletionTimestamp is null))
            await Kube.DeleteAsync<MachineSet>(ns, ms.Metadata.Name, ms.Metadata.Uid, ct: ct);
        foreach (var m in workers.Where(x => x.Metadata.DeletionTimestamp is null))
            await Kube.DeleteAsync<Api.Machine>(ns, m.Metadata.Name, m.Metadata.Uid, ct: ct);
        foreach (var mhc in await Kube.ListAsync<MachineHealthCheck>(ns, $"{CapiLabels.ClusterName}={c.Metadata.Name}", ct: ct))
        {
            if (mhc.Metadata.DeletionTimestamp is null)
                await Kube.DeleteAsync<MachineHealthCheck>(ns, mhc.Metadata.Name, mhc.Metadata.Uid, ct: ct);
        }

        // Everything below the workers level counts, including Machines of MachineSets still going away.
        var pending = new List<string>();
        void Pending(string kinds, IEnumerable<string> names)
        {
            var list = names.Order(StringComparer.Ordinal).ToList();
            if (list.Count > 0)
                pending.Add($"* {kinds}: {string.Join(", ", list.Take(10))}{(list.Count > 10 ? ", ..." : "")}");
        }
        Pending("MachineDeployments", s.MachineDeployments.Select(x => x.Metadata.Name));
        Pending("MachineSets", s.MachineSets.Select(x => x.Metadata.Name));
        Pending("Worker Machines", s.WorkerMachines.Select(x => x.Metadata.Name));
        if (pending.Count > 0)
        {
            s.DeletingReason = ClusterReasons.DeletingWaitingForWorkersDeletion;
            s.DeletingMessage = string.Join("\n", pending);
            return safetyNet;
        }

        if (s.ControlPlane is { } cp)
        {
            if (!ExternalObjects.IsDeleting(cp)) await Kube.DeleteAsync(cp, ct);
            s.DeletingReason = ClusterReasons.DeletingWaitingForControlPlaneDeletion;
            s.DeletingMessage = $"Waiting for {c.Spec.ControlPlaneRef!.Kind} to be deleted";
            return safetyNet;
        }
        // A control plane made of plain Machines goes after the workers, like a control plane object.
        var cpMachines = s.ControlPlaneMachines.ToList();
        if (cpMachines.Count > 0)
        {
            foreach (var m in cpMachines.Where(x => x.Metadata.DeletionTimestamp is null && OwnerReferences.ControllerOf(x.Metadata) is null))
                await Kube.DeleteAsync<Api.Machine>(ns, m.Metadata.Name, m.Metadata.Uid, ct: ct);
            s.DeletingReason = ClusterReasons.DeletingWaitingForControlPlaneDeletion;
            s.DeletingMessage = $"Waiting for control plane Machines to be deleted: {string.Join(", ", cpMachines.Select(m => m.Metadata.Name).Order(StringComparer.Ordinal))}";
            return safetyNet;
        }

        if (s.InfraCluster is { } infra)
        {
            if (!ExternalObjects.IsDeleting(infra)) await Kube.DeleteAsync(infra, ct);
            s.DeletingReason = ClusterReasons.DeletingWaitingForInfrastructureDeletion;
            s.DeletingMessage = $"Waiting for {c.Spec.InfrastructureRef!.Kind} to be deleted";
            return safetyNet;
        }

        s.DeletingReason = ClusterReasons.DeletingDeletionCompleted;
        s.DeletingMessage = "Deletion completed";
        c.Metadata.Finalizers?.Remove(CapiFinalizers.Cluster);
        Logger.LogInformation("Cluster {Namespace}/{Name} deleted", ns, c.Metadata.Name);
        await NormalEventAsync(c, "Deleted", "Delete", $"Cluster {c.Metadata.Name} has been deleted", ct);
        return ReconcileResult.Done();
    }
}
