using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>Deletion: hooks, drain, infrastructure and bootstrap teardown, Node removal, then the finalizer.</summary>
/// <remarks>Every wait is a durable timer or an event (a hook annotation removed, a dependent object gone),
/// never a sleep; each stage is recorded in the Deleting condition and status.deletion.</remarks>
public sealed partial class MachineReconciler
{
    private async Task<ReconcileResult> ReconcileDeleteAsync(MachineScope s, CancellationToken ct)
    {
        var m = s.Machine;
        var ns = m.Metadata.NamespaceProperty;
        s.DeletingReason = MachineReasons.Deleting;
        s.DeletingMessage = "Deletion started";
        var deletingSince = Backoff.Utc(m.Metadata.DeletionTimestamp);

        var skipNode = await WhyNotDeleteNodeAsync(s, ct);
        if (skipNode is not null)
            Logger.LogInformation("Machine {Namespace}/{Name}: Node left alone ({Cause})", ns, m.Metadata.Name, skipNode);

        if (skipNode is null)
        {
            if (Hooks(m, CapiAnnotations.PreDrainDeleteHookPrefix) is { Count: > 0 } preDrain)
            {
                Deletion(m).WaitForPreDrainHookStartTime ??= Conditions.Truncate(s.Now.UtcDateTime);
                s.DeletingReason = MachineReasons.DeletingWaitingForPreDrainHook;
                s.DeletingMessage = $"Waiting for pre-drain hooks to succeed (hooks: {string.Join(",", preDrain)})";
                return ReconcileResult.Done(); // Removing the annotation is a change of the Machine: it wakes us.
            }

            if (IsNodeDrainAllowed(s))
            {
                var started = Deletion(m).NodeDrainStartTime ??= Conditions.Truncate(s.Now.UtcDateTime);
                s.DeletingReason = MachineReasons.DeletingDrainingNode;
                s.DeletingMessage = $"Drain not completed yet (started at {started.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}):";
                var workload = await WorkloadAsync(s, ct);
                if (workload is null)
                {
                    s.DeletingMessage += "\n* Workload cluster is not reachable";
                    return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(started), s.Now));
                }
                DrainResult drain;
                try
                {
                    var rules = await DrainRules.MatchingAsync(Kube, m, s.Cluster, ct);
                    drain = await NodeDrain.DrainAsync(workload, rules, m.Status.NodeRef!.Name, s.Now, ct);
                }
                catch (Exception e) when (e is KubeApiException or HttpRequestException)
                {
                    s.DeletingMessage = "Error draining Node, please check controller logs for errors";
                    await WarningEventAsync(m, "FailedDrainNode", "Drain", $"error draining Machine's node \"{m.Status.NodeRef!.Name}\": {e.Message}", ct);
                    throw;
                }
                if (!drain.Completed)
                {
                    s.DeletingMessage += "\n" + drain.Message;
                    return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(started), s.Now));
                }
                Logger.LogInformation("Machine {Namespace}/{Name}: drained Node {Node}", ns, m.Metadata.Name, m.Status.NodeRef.Name);
                await NormalEventAsync(m, "SuccessfulDrainNode", "Drain", $"success draining Machine's node \"{m.Status.NodeRef.Name}\"", ct);
            }
        }

        if (Hooks(m, CapiAnnotations.PreTerminateDeleteHookPrefix) is { Count: > 0 } preTerminate)
        {
            Deletion(m).WaitForPreTerminateHookStartTime ??= Conditions.Truncate(s.Now.UtcDateTime);
            s.DeletingReason = MachineReasons.DeletingWaitingForPreTerminateHook;
            s.DeletingMessage = $"Waiting for pre-terminate hooks to succeed (hooks: {string.Join(",", preTerminate)})";
            return ReconcileResult.Done();
        }

        // The dependents' deletion events wake us (we are their controller owner); the timer is a safety net.
        var safetyNet = ReconcileResult.Requeue(Backoff.Since(deletingSince, s.Now, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30)));
        if (s.InfraMachine is { } infra)
        {
            if (!ExternalObjects.IsDeleting(infra)) await Kube.DeleteAsync(infra, ct);
            s.DeletingReason = MachineReasons.DeletingWaitingForInfrastructureDeletion;
            s.DeletingMessage = $"Waiting for {m.Spec.InfrastructureRef.Kind} to be deleted";
            return safetyNet;
        }
        if (s.BootstrapConfig is { } config)
        {
            if (!ExternalObjects.IsDeleting(config)) await Kube.DeleteAsync(config, ct);
            s.DeletingReason = MachineReasons.DeletingWaitingForBootstrapDeletion;
            s.DeletingMessage = $"Waiting for {m.Spec.Bootstrap.ConfigRef?.Kind} to be deleted";
            return safetyNet;
        }

        // The Node goes only after its host is gone, so nothing reschedules onto it meanwhile.
        if (skipNode is null && !await TryDeleteNodeAsync(s, ct))
        {
            var timeout = m.Spec.Deletion?.NodeDeletionTimeoutSeconds ?? 10;
            if (timeout <= 0 || deletingSince is null || s.Now < deletingSince.Value + TimeSpan.FromSeconds(timeout))
            {
                s.DeletingReason = MachineReasons.DeletingDeletingNode;
                s.DeletingMessage = "Error deleting Node, please check controller logs for errors";
                return ReconcileResult.Requeue(TimeSpan.FromSeconds(2));
            }
            Logger.LogWarning("Machine {Namespace}/{Name}: Node deletion timed out; continuing without it", ns, m.Metadata.Name);
        }

        s.DeletingReason = MachineReasons.DeletingDeletionCompleted;
        s.DeletingMessage = "Deletion completed";
        m.Metadata.Finalizers?.Remove(CapiFinalizers.Machine);
        Logger.LogInformation("Machine {Namespace}/{Name} deleted", ns, m.Metadata.Name);
        return ReconcileResult.Done();
    }

    /// <summary>Why the Node must not be drained or deleted, or null when it may (CAPI's isDeleteNodeAllowed).</summary>
    private async Task<string?> WhyNotDeleteNodeAsync(MachineScope s, CancellationToken ct)
    {
        var m = s.Machine;
        if (s.Cluster is null || s.Cluster.Metadata.DeletionTimestamp is not null) return "the Cluster is being deleted";
        if (m.Status.NodeRef is null) return "no Node is known for the Machine";
        if (s.Cluster.Spec.ControlPlaneRef is { IsDefined: true } cpRef &&
            await Kube.GetAsync(m.Metadata.NamespaceProperty, cpRef, ct) is { } controlPlane && ExternalObjects.IsDeleting(controlPlane))
        {
            return "the control plane is being deleted";
        }
        var machines = await Kube.ListAsync<Api.Machine>(m.Metadata.NamespaceProperty, $"{CapiLabels.ClusterName}={m.Spec.ClusterName},{CapiLabels.ControlPlane}", ct: ct);
        if (!machines.Any(x => x.Metadata.DeletionTimestamp is null)) return "no control plane Machines remain";
        return null;
    }

    private static bool IsNodeDrainAllowed(MachineScope s)
    {
        var m = s.Machine;
        if (m.Metadata.Annotations?.ContainsKey(CapiAnnotations.ExcludeNodeDraining) == true) return false;
        if (m.Status.Deletion?.WaitForPreTerminateHookStartTime is not null) return false;
        if (s.InfraMachine is null || ExternalObjects.IsDeleting(s.InfraMachine)) return false;
        var timeout = m.Spec.Deletion?.NodeDrainTimeoutSeconds;
        if (timeout is > 0 && m.Status.Deletion?.NodeDrainStartTime is { } started &&
            s.Now >= Backoff.Utc(started)!.Value + TimeSpan.FromSeconds(timeout.Value))
        {
            return false;
        }
        return true;
    }

    /// <summary>Deletes the Node; true when it is gone (or never existed).</summary>
    private async Task<bool> TryDeleteNodeAsync(MachineScope s, CancellationToken ct)
    {
        var name = s.Machine.Status.NodeRef!.Name;
        try
        {
            var workload = await WorkloadAsync(s, ct);
            if (workload is null) return false;
            await workload.DeleteAsync<V1Node>(null, name, ct: ct);
            return true;
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException)
        {
            Logger.LogWarning("Machine {Namespace}/{Name}: deleting Node {Node} failed: {Error}", s.Machine.Metadata.NamespaceProperty, s.Machine.Metadata.Name, name, e.Message);
            await WarningEventAsync(s.Machine, "FailedDeleteNode", "DeleteNode", $"error deleting Machine's Node: {e.Message}", ct);
            return false;
        }
    }

    private static List<string> Hooks(Api.Machine m, string prefix) =>
        (m.Metadata.Annotations?.Keys ?? []).Where(k => k.StartsWith(prefix + "/", StringComparison.Ordinal)).Order(StringComparer.Ordinal).ToList();

    private static MachineDeletionStatus Deletion(Api.Machine m) => m.Status.Deletion ??= new MachineDeletionStatus();
}
