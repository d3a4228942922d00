using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.MachinePools;

/// <summary>Node references: the pool's provider IDs matched to workload Nodes, Nodes no longer in the list deleted,
/// and deletion (bootstrap config and infrastructure first, then the Nodes, then the finalizer).</summary>
public sealed partial class MachinePoolReconciler
{
    private async Task<ReconcileResult> ReconcileNodeRefsAsync(MachinePoolScope s, CancellationToken ct)
    {
        var pool = s.Pool;
        var v1 = V1Beta1(pool);
        var ready = v1.ReadyReplicas ?? 0;
        var refs = pool.Status.NodeRefs ?? [];
        if ((pool.Status.Replicas ?? 0) == ready && refs.Count == ready && s.NodesByProviderId is { } current)
        {
            var byName = current.Values.ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
            // Never trust what was written last time: the references must still name the same Nodes.
            if (refs.All(r => r.Name is not null && byName.TryGetValue(r.Name, out var node) && node.Metadata.Uid == r.Uid)
                && refs.Count == (pool.Spec.ProviderIdList?.Count ?? 0))
                return ReconcileResult.Done();
        }
        var providerIds = pool.Spec.ProviderIdList ?? [];
        if (providerIds.Count == 0 && pool.Spec.Replicas != 0) return ReconcileResult.Done();
        if (s.Workload is null || s.NodesByProviderId is null)
            return ReconcileResult.Requeue(NodePoll, "waiting for the workload cluster");

        await DeleteRetiredNodesAsync(s.Workload, refs, providerIds, ct);

        var minReady = TimeSpan.FromSeconds(pool.Spec.Template.Spec.MinReadySeconds ?? 0);
        var newRefs = new List<NodeObjectReference>();
        int readyCount = 0, availableCount = 0;
        foreach (var providerId in providerIds)
        {
            if (!s.NodesByProviderId.TryGetValue(providerId, out var node)) continue;
            var readyCondition = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
            if (readyCondition?.Status == "True")
            {
                readyCount++;
                if (readyCondition.LastTransitionTime is not { } since || s.Now.UtcDateTime - since.ToUniversalTime() >= minReady) availableCount++;
            }
            newRefs.Add(new NodeObjectReference { ApiVersion = "v1", Kind = "Node", Name = node.Metadata.Name, Uid = node.Metadata.Uid });
        }
        if (newRefs.Count == 0 && providerIds.Count > 0)
        {
            Logger.LogInformation("MachinePool {Namespace}/{Name}: no Node matches its provider IDs yet", s.Namespace, pool.Metadata.Name);
            return ReconcileResult.Requeue(NodePoll, "waiting for Nodes");
        }
        v1.ReadyReplicas = readyCount;
        v1.AvailableReplicas = availableCount;
        v1.UnavailableReplicas = (pool.Status.Replicas ?? 0) - availableCount;
        pool.Status.NodeRefs = newRefs.Count == 0 ? null : newRefs;
        await AnnotateNodesAsync(s, newRefs, ct);

        if ((pool.Status.Replicas ?? 0) != readyCount || newRefs.Count != readyCount)
            return ReconcileResult.Requeue(NodePoll, "waiting for ready replicas");
        return ReconcileResult.Done();
    }

    /// <summary>Nodes the pool referenced whose provider ID left the list: their instance is gone.</summary>
    private async Task DeleteRetiredNodesAsync(KubeApi workload, IReadOnlyList<NodeObjectReference> refs, IReadOnlyList<string> providerIds, CancellationToken ct)
    {
        var keep = providerIds.ToHashSet(StringComparer.Ordinal);
        foreach (var r in refs.Where(r => r.Name is not null))
        {
            var node = await workload.GetAsync<V1Node>(null, r.Name!, ct);
            if (node?.Spec?.ProviderID is not { Length: > 0 } providerId || keep.Contains(providerId)) continue;
            await workload.DeleteAsync<V1Node>(null, node.Metadata.Name, node.Metadata.Uid, ct: ct);
            Logger.LogInformation("Deleted Node {Node}: its instance left the pool's provider ID list", node.Metadata.Name);
        }
    }

    /// <summary>CAPI's annotations that tie a Node to its owner (the cluster autoscaler and node-to-pool mapping read them).</summary>
    private static async Task AnnotateNodesAsync(MachinePoolScope s, IEnumerable<NodeObjectReference> refs, CancellationToken ct)
    {
        var desired = new Dictionary<string, string>
        {
            [CapiAnnotations.ClusterName] = s.Pool.Spec.ClusterName,
            [CapiAnnotations.ClusterNamespace] = s.Namespace,
            [CapiAnnotations.OwnerKind] = Api.MachinePool.KubeKind,
            [CapiAnnotations.OwnerName] = s.Pool.Metadata.Name,
        };
        foreach (var r in refs)
        {
            var node = s.NodesByProviderId!.Values.First(n => n.Metadata.Name == r.Name);
            var annotations = node.Metadata.Annotations ?? new Dictionary<string, string>();
            if (desired.All(d => annotations.TryGetValue(d.Key, out var v) && v == d.Value)) continue;
            var patch = new JsonObject();
            foreach (var (k, v) in desired) patch[k] = v;
            await s.Workload!.MergePatchAsync<V1Node>(null, node.Metadata.Name, new JsonObject { ["metadata"] = new JsonObject { ["annotations"] = patch } }, ct: ct);
        }
    }

    private async Task<ReconcileResult> ReconcileDeleteAsync(MachinePoolScope s, CancellationToken ct)
    {
        var pool = s.Pool;
        var remaining = 0;
        var references = new[] { pool.Spec.Template.Spec.Bootstrap.ConfigRef, pool.Spec.Template.Spec.InfrastructureRef };
        foreach (var reference in references.OfType<ContractVersionedObjectReference>().Where(r => r.IsDefined))
        {
            if (await Kube.GetAsync(s.Namespace, reference, ct) is not { } obj) continue;
            remaining++;
            if (!ExternalObjects.IsDeleting(obj)) await Kube.DeleteAsync(obj, ct);
        }
        // Their deletion (they are controlled by the pool) wakes us; the poll covers a provider that never finishes.
        if (remaining > 0) return ProviderCommon.ProviderTiming.PollDeletion("waiting for the bootstrap config and infrastructure to go");

        if (!NodeDeletionTimedOut(pool, s.Now) && pool.Status.NodeRefs is { Count: > 0 } refs
            && await workloads.GetAsync(s.Namespace, pool.Spec.ClusterName, ct) is { } workload)
            await DeleteRetiredNodesAsync(workload, refs, [], ct);

        pool.Metadata.Finalizers?.Remove(CapiFinalizers.MachinePool);
        Logger.LogInformation("MachinePool {Namespace}/{Name} deleted", s.Namespace, pool.Metadata.Name);
        return ReconcileResult.Done("deleted");
    }

    private static bool NodeDeletionTimedOut(Api.MachinePool pool, DateTimeOffset now) =>
        pool.Metadata.DeletionTimestamp is { } deleted && pool.Spec.Template.Spec.Deletion?.NodeDeletionTimeoutSeconds is > 0 and var seconds
        && deleted.ToUniversalTime().AddSeconds(seconds) < now.UtcDateTime;
}
