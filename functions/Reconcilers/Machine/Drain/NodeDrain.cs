using System.Net;
using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>The outcome of one drain pass; <see cref="Message"/> lists what the drain still waits for, one
/// <c>* …</c> line each, as CAPI writes it under the Deleting condition.</summary>
public sealed record DrainResult(bool Completed, string Message);

/// <summary>Cordons a Node and evicts its Pods as CAPI's drain does: kubectl drain's rules, the Pods' drain label and
/// the Machine's MachineDrainRules decide each Pod's behavior and order; only the lowest order group still on the Node
/// is evicted, and WaitCompleted Pods are waited for, never evicted. One call is one pass; the caller repeats it on a
/// durable timer until nothing is left.</summary>
public static class NodeDrain
{
    public static async Task<DrainResult> DrainAsync(KubeApi workload, IReadOnlyList<MachineDrainRule> rules, string nodeName, DateTimeOffset now,
        CancellationToken ct)
    {
        var node = await workload.GetAsync<V1Node>(null, nodeName, ct);
        if (node is null) return new DrainResult(true, "Node does not exist");
        if (node.Spec?.Unschedulable != true)
        {
            var cordon = new JsonObject { ["spec"] = new JsonObject { ["unschedulable"] = true } };
            await workload.MergePatchAsync<V1Node>(null, nodeName, cordon, ct: ct);
        }

        var pods = (await PodsOnAsync(workload, nodeName, ct)).Where(p => p.Spec?.NodeName == nodeName).ToList();
        if (pods.Count == 0) return new DrainResult(true, "");

        var context = new PodDrainContext(rules, await NamespacesAsync(workload, ct), await DaemonSetsAsync(workload, pods, ct), now,
            // On an unreachable Node, Pods deleted more than a second ago will not report back: CAPI stops waiting for them.
            Unreachable(node) ? TimeSpan.FromSeconds(1) : null);
        var classified = pods.Select(p => (Pod: p, Status: PodDrainFilters.Classify(p, context))).ToList();
        var errors = classified.Where(c => c.Status.Error is not null).GroupBy(c => c.Status.Error!)
            .Select(g => $"Pods with error \"{g.Key}\": {string.Join(", ", g.Select(c => Id(c.Pod)))}").ToList();
        if (errors.Count > 0) throw new InvalidOperationException("failed to get Pods for eviction: " + string.Join("; ", errors));
        if (!classified.Any(c => c.Status.Blocks)) return new DrainResult(true, "");

        var result = await EvictAsync(workload, classified, ct);
        return new DrainResult(result.Completed, result.Message());
    }

    /// <summary>Evicts the lowest order group; Pods of later groups and WaitCompleted Pods are only reported.</summary>
    private static async Task<EvictionResult> EvictAsync(KubeApi workload, List<(V1Pod Pod, PodDrainStatus Status)> classified, CancellationToken ct)
    {
        var ordered = classified.OrderBy(c => Id(c.Pod), StringComparer.Ordinal).ToList();
        var blocking = ordered.Where(c => c.Status.Behavior is MachineDrainBehavior.Drain or MachineDrainBehavior.WaitCompleted).ToList();
        var minOrder = blocking.Count == 0 ? 0 : blocking.Min(c => c.Status.Order);
        var result = new EvictionResult();
        foreach (var (pod, status) in ordered)
        {
            switch (status.Behavior)
            {
                case MachineDrainBehavior.Drain when pod.Metadata.DeletionTimestamp is null && status.Order == minOrder:
                    await EvictOneAsync(workload, pod, result, ct);
                    break;
                case MachineDrainBehavior.Drain when pod.Metadata.DeletionTimestamp is null:
                    result.EvictLater.Add(pod);
                    break;
                case MachineDrainBehavior.WaitCompleted when status.Order == minOrder:
                    result.WaitCompletedNow.Add(pod);
                    break;
                case MachineDrainBehavior.WaitCompleted:
                    result.WaitCompletedLater.Add(pod);
                    break;
                case MachineDrainBehavior.Drain:
                    result.DeletionTimestampSet.Add(pod);
                    break;
            }
        }
        return result;
    }

    private static async Task EvictOneAsync(KubeApi workload, V1Pod pod, EvictionResult result, CancellationToken ct)
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
            bool evictionServed;
            try
            {
                await workload.SendAsync<JsonObject>(HttpMethod.Post, $"/api/v1/namespaces/{ns}/pods/{Uri.EscapeDataString(name)}/eviction",
                    eviction.ToJsonString(), "application/json", ct);
                evictionServed = true;
            }
            catch (KubeApiException e) when (e.Status is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotImplemented or HttpStatusCode.NotFound)
            {
                // A 404 means no eviction API only while the Pod itself is still there.
                if (e.IsNotFound && await workload.GetAsync<V1Pod>(ns, name, ct) is null) throw;
                evictionServed = false;
            }
            if (!evictionServed)
            {
                // No eviction API: delete the Pod, with a uid precondition.
                await workload.DeleteAsync<V1Pod>(ns, name, pod.Metadata.Uid, ct: ct);
            }
            result.DeletionTimestampSet.Add(pod);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Gone already: nothing to wait for.
        }
        catch (KubeApiException e)
        {
            // A disruption budget (429) or any other refusal: reported, and tried again on the next pass.
            result.Failed(e.Message, pod);
        }
    }

    /// <summary>The Node's Pods; servers that do not index spec.nodeName get a full list filtered here, and a
    /// simulated cluster that serves no Pods at all has nothing to drain.</summary>
    private static async Task<IReadOnlyList<V1Pod>> PodsOnAsync(KubeApi workload, string nodeName, CancellationToken ct)
    {
        try
        {
            try
            {
                return await workload.ListAsync<V1Pod>(null, fieldSelector: $"spec.nodeName={nodeName}", ct: ct);
            }
            catch (KubeApiException e) when (e.Status == HttpStatusCode.BadRequest)
            {
                return await workload.ListAsync<V1Pod>(null, ct: ct);
            }
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return [];
        }
    }

    private static async Task<IReadOnlyDictionary<string, V1Namespace>> NamespacesAsync(KubeApi workload, CancellationToken ct) =>
        (await workload.ListAsync<V1Namespace>(null, ct: ct)).ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);

    /// <summary>Which DaemonSets controlling these Pods exist (a server that serves none has none).</summary>
    private static async Task<Func<string, string, bool>> DaemonSetsAsync(KubeApi workload, IEnumerable<V1Pod> pods, CancellationToken ct)
    {
        var existing = new HashSet<(string, string)>();
        var wanted = pods.Select(p => (p.Metadata.NamespaceProperty, Owner: p.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true)))
            .Where(x => x.Owner?.Kind == "DaemonSet").Select(x => (x.NamespaceProperty, x.Owner!.Name)).Distinct();
        foreach (var (ns, name) in wanted)
        {
            try
            {
                if (await workload.GetAsync<V1DaemonSet>(ns, name, ct) is not null) existing.Add((ns, name));
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
            }
        }
        return (ns, name) => existing.Contains((ns, name));
    }

    private static bool Unreachable(V1Node node) =>
        node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready") is { Status: "Unknown" };

    internal static string Id(V1Pod pod) => $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
}
