using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>The node phase: find the Machine's Node in the workload cluster by providerID.</summary>
public sealed partial class MachineReconciler
{
    private async Task<ReconcileResult> ReconcileNodeAsync(MachineScope s, CancellationToken ct)
    {
        var m = s.Machine;
        // Nothing sends events for workload Nodes: poll while waiting on them. The Cluster's milestones (infrastructure
        // provisioned, control plane initialized) wake its Machines, so waiting on those is a backing-off safety net: a
        // thousand clusters' workers polling every few seconds while their control planes came up took more steps than
        // everything else.
        var waitingSince = Backoff.Utc(m.Status.LastUpdated ?? m.Metadata.CreationTimestamp);
        var poll = ReconcileResult.Requeue(Backoff.Short(waitingSince, s.Now));
        if (s.Cluster is null) return ReconcileResult.Done();
        var waitingOnCluster = !s.ClusterInfrastructureProvisioned || !s.ClusterControlPlaneInitialized;
        if (string.IsNullOrEmpty(m.Spec.ProviderId))
            return waitingOnCluster && !s.IsDeleting ? ProviderCommon.ProviderTiming.PollCluster("waiting for the Cluster") : ReconcileResult.Done();

        var workload = await WorkloadAsync(s, ct);
        if (workload is null)
            return s.IsDeleting ? ReconcileResult.Done() : poll;

        try
        {
            s.Node = await FindNodeAsync(workload, m, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            s.Connection = WorkloadConnection.NotConnected;
            return s.IsDeleting ? ReconcileResult.Done() : poll;
        }
        catch (KubeApiException e)
        {
            Logger.LogWarning("Machine {Namespace}/{Name}: reading Nodes failed: {Error}", m.Metadata.NamespaceProperty, m.Metadata.Name, e.Message);
            s.Connection = WorkloadConnection.Error;
            return poll;
        }
        s.Connection = WorkloadConnection.Connected;

        if (s.Node is null)
        {
            // A Node that disappeared after it was seen is reported (NodeDeleted) and left to health checks.
            if (m.Status.NodeRef is not null || s.IsDeleting) return waitingOnCluster ? poll : ReconcileResult.Done();
            Logger.LogDebug("Machine {Namespace}/{Name} waits for a Node with providerID {ProviderID}", m.Metadata.NamespaceProperty, m.Metadata.Name, m.Spec.ProviderId);
            return poll;
        }

        if (m.Status.NodeRef?.Name != s.Node.Metadata.Name)
        {
            Logger.LogInformation("Machine {Namespace}/{Name} is backed by Node {Node}", m.Metadata.NamespaceProperty, m.Metadata.Name, s.Node.Metadata.Name);
            await NormalEventAsync(m, "SuccessfulSetNodeRef", "SetNodeRef", s.Node.Metadata.Name, ct);
        }
        m.Status.NodeRef = new MachineNodeReference { Name = s.Node.Metadata.Name };
        if (s.Node.Status?.NodeInfo is { } info)
        {
            m.Status.NodeInfo = new NodeSystemInfo
            {
                MachineId = info.MachineID ?? "",
                SystemUuid = info.SystemUUID ?? "",
                BootId = info.BootID ?? "",
                KernelVersion = info.KernelVersion ?? "",
                OsImage = info.OsImage ?? "",
                ContainerRuntimeVersion = info.ContainerRuntimeVersion ?? "",
                KubeletVersion = info.KubeletVersion ?? "",
                KubeProxyVersion = info.KubeProxyVersion ?? "",
                OperatingSystem = info.OperatingSystem ?? "",
                Architecture = info.Architecture ?? "",
            };
        }
        if (!s.IsDeleting) await AnnotateNodeAsync(workload, s.Node, m, ct);
        return waitingOnCluster ? poll : ReconcileResult.Done();
    }

    /// <summary>The workload cluster's client, recording the connection state in the scope.</summary>
    private async Task<KubeApi?> WorkloadAsync(MachineScope s, CancellationToken ct)
    {
        var workload = await workloads.GetAsync(s.Machine.Metadata.NamespaceProperty, s.Machine.Spec.ClusterName, ct);
        s.Connection = workload is null ? WorkloadConnection.NotConnected : WorkloadConnection.Connected;
        return workload;
    }

    /// <summary>The Node with the Machine's providerID: the one named in nodeRef if it still matches, else any.</summary>
    private static async Task<V1Node?> FindNodeAsync(KubeApi workload, Api.Machine m, CancellationToken ct)
    {
        if (m.Status.NodeRef?.Name is { } known && await workload.GetAsync<V1Node>(null, known, ct) is { } byName &&
            byName.Spec?.ProviderID == m.Spec.ProviderId)
        {
            return byName;
        }
        var nodes = await workload.ListAsync<V1Node>(null, ct: ct);
        return nodes.FirstOrDefault(n => n.Spec?.ProviderID == m.Spec.ProviderId);
    }

    /// <summary>Tells the Node which Machine and Cluster it belongs to (CAPI's node annotations).</summary>
    private static async Task AnnotateNodeAsync(KubeApi workload, V1Node node, Api.Machine m, CancellationToken ct)
    {
        var owner = OwnerReferences.ControllerOf(m.Metadata);
        var wanted = new Dictionary<string, string?>
        {
            [CapiAnnotations.ClusterName] = m.Spec.ClusterName,
            [CapiAnnotations.ClusterNamespace] = m.Metadata.NamespaceProperty,
            [CapiAnnotations.Machine] = m.Metadata.Name,
            [CapiAnnotations.OwnerKind] = owner?.Kind,
            [CapiAnnotations.OwnerName] = owner?.Name,
        };
        var current = node.Metadata.Annotations ?? new Dictionary<string, string>();
        var missing = wanted.Where(p => p.Value is not null && (!current.TryGetValue(p.Key, out var v) || v != p.Value)).ToList();
        if (missing.Count == 0) return;
        var annotations = new JsonObject();
        foreach (var pair in missing) annotations[pair.Key] = pair.Value;
        var patch = new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = annotations } };
        await workload.MergePatchAsync<V1Node>(null, node.Metadata.Name, patch, ct: ct);
    }
}
