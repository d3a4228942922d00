using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>The outcome of one drain pass.</summary>
public sealed record DrainResult(bool Completed, string Message);

/// <summary>Cordons a Node and evicts its Pods (kubectl drain's rules: DaemonSet Pods and mirror Pods stay).
/// One call is one pass; the caller repeats it on a durable timer until nothing is left.</summary>
public static class NodeDrain
{
    private const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    public static async Task<DrainResult> DrainAsync(KubeApi workload, string nodeName, CancellationToken ct)
    {
        var node = await workload.GetAsync<V1Node>(null, nodeName, ct);
        if (node is null) return new DrainResult(true, "Node does not exist");
        if (node.Spec?.Unschedulable != true)
        {
            var cordon = new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = true } };
            await workload.MergePatchAsync<V1Node>(null, nodeName, cordon, ct: ct);
        }

        var pods = (await workload.ListAsync<V1Pod>(null, fieldSelector: $"spec.nodeName={nodeName}", ct: ct))
            .Where(p => p.Spec?.NodeName == nodeName && MustEvict(p))
            .ToList();
        if (pods.Count == 0) return new DrainResult(true, "");

        var lines = new List<string>();
        foreach (var pod in pods)
        {
            var id = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
            if (pod.Metadata.DeletionTimestamp is not null)
            {
                lines.Add($"* Pod {id}: deletionTimestamp set, but still not removed from the Node");
                continue;
            }
            lines.Add(await EvictAsync(workload, pod, ct) switch
            {
                EvictOutcome.Requested => $"* Pod {id}: eviction requested",
                EvictOutcome.Blocked => $"* Pod {id}: cannot evict pod as it would violate the pod's disruption budget.",
                _ => $"* Pod {id}: deleted",
            });
        }
        return new DrainResult(false, string.Join("\n", lines.Take(5)) + (lines.Count > 5 ? $"\n* ... ({lines.Count - 5} more)" : ""));
    }

    /// <summary>DaemonSet Pods would come straight back and mirror Pods belong to the kubelet: both stay.</summary>
    internal static bool MustEvict(V1Pod pod) => !IsDaemonOrMirror(pod);

    private static bool IsDaemonOrMirror(V1Pod pod) =>
        pod.Metadata.Annotations?.ContainsKey(MirrorPodAnnotation) == true ||
        pod.Metadata.OwnerReferences?.Any(o => o.Controller == true && o.Kind == "DaemonSet") == true;

    private enum EvictOutcome
    {
        Requested,
        Blocked,
        Deleted,
    }

    private static async Task<EvictOutcome> EvictAsync(KubeApi workload, V1Pod pod, CancellationToken ct)
    {
        var ns = pod.Metadata.NamespaceProperty;
        var name = pod.Metadata.Name;
        var eviction = new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "Eviction",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        };
        try
        {
            await workload.SendAsync<JsonObject>(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/{Uri.EscapeDataString(name)}/eviction",
                eviction.ToJsonString(), "application/json", ct);
            return EvictOutcome.Requested;
        }
        catch (KubeApiException e) when (e.Status == HttpStatusCode.TooManyRequests)
        {
            return EvictOutcome.Blocked;
        }
        catch (KubeApiException e) when (e.IsNotFound || e.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented)
        {
            // No eviction API (or the Pod just went): delete it, with a uid precondition.
            await workload.DeleteAsync<V1Pod>(ns, name, pod.Metadata.Uid, ct: ct);
            return EvictOutcome.Deleted;
        }
    }
}
