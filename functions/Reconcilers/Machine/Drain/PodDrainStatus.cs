using k8s.Models;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>What the drain does with one Pod: its behavior (Drain, Skip, WaitCompleted), its order group, or an error
/// that stops the drain.</summary>
public sealed record PodDrainStatus(string Behavior, int Order = 0, string? Error = null)
{
    public static readonly PodDrainStatus Drain = new(MachineDrainBehavior.Drain);
    public static readonly PodDrainStatus Skip = new(MachineDrainBehavior.Skip);
    public static readonly PodDrainStatus WaitCompleted = new(MachineDrainBehavior.WaitCompleted);

    public static PodDrainStatus Failed(string error) => new("", Error: error);

    /// <summary>Whether the drain must see the Pod gone before it completes (Drain or WaitCompleted).</summary>
    public bool Blocks => Error is null && Behavior is MachineDrainBehavior.Drain or MachineDrainBehavior.WaitCompleted;
}

/// <summary>What the classification needs to know beyond the Pod: the Machine's rules, the workload cluster's Namespaces
/// and which DaemonSets exist.</summary>
public sealed record PodDrainContext(
    IReadOnlyList<MachineDrainRule> Rules,
    IReadOnlyDictionary<string, V1Namespace> Namespaces,
    Func<string, string, bool> DaemonSetExists,
    DateTimeOffset Now,
    TimeSpan? SkipDeletedOlderThan = null);

/// <summary>CAPI's drain filters, in its order: the kubectl-drain rules first (long-deleted Pods on an unreachable
/// Node, DaemonSet Pods, mirror Pods), then the Pod's drain label, then the first matching MachineDrainRule. A Skip or
/// WaitCompleted ends the chain; otherwise the last filter's answer holds.</summary>
public static class PodDrainFilters
{
    private const string MirrorPodAnnotation = "kubernetes.io/config.mirror";

    public static PodDrainStatus Classify(V1Pod pod, PodDrainContext context)
    {
        Func<V1Pod, PodDrainContext, PodDrainStatus>[] filters = [SkipDeleted, DaemonSet, Mirror, DrainLabel, Rules];
        var status = PodDrainStatus.Drain;
        foreach (var filter in filters)
        {
            status = filter(pod, context);
            if (status.Behavior is MachineDrainBehavior.Skip or MachineDrainBehavior.WaitCompleted) break;
        }
        return status;
    }

    /// <summary>On an unreachable Node a Pod deleted a while ago will never report back: it no longer holds the drain.</summary>
    private static PodDrainStatus SkipDeleted(V1Pod pod, PodDrainContext context) =>
        context.SkipDeletedOlderThan is { } limit && pod.Metadata.DeletionTimestamp is { } deleted
        && context.Now - new DateTimeOffset(DateTime.SpecifyKind(deleted, DateTimeKind.Utc)) > limit
            ? PodDrainStatus.Skip
            : PodDrainStatus.Drain;

    /// <summary>A running DaemonSet Pod would come straight back, so it stays; one whose DaemonSet is gone is drained.</summary>
    private static PodDrainStatus DaemonSet(V1Pod pod, PodDrainContext context)
    {
        var controller = pod.Metadata.OwnerReferences?.FirstOrDefault(o => o.Controller == true);
        if (controller?.Kind != "DaemonSet" || Finished(pod)) return PodDrainStatus.Drain;
        return context.DaemonSetExists(pod.Metadata.NamespaceProperty, controller.Name) ? PodDrainStatus.Skip : PodDrainStatus.Drain;
    }

    /// <summary>Static Pods belong to the kubelet.</summary>
    private static PodDrainStatus Mirror(V1Pod pod, PodDrainContext context) =>
        pod.Metadata.Annotations?.ContainsKey(MirrorPodAnnotation) == true ? PodDrainStatus.Skip : PodDrainStatus.Drain;

    /// <summary>The Pod's own label wins over every rule: <c>skip</c>, or <c>wait-completed</c> (case-insensitive).</summary>
    private static PodDrainStatus DrainLabel(V1Pod pod, PodDrainContext context)
    {
        if (pod.Metadata.Labels?.TryGetValue(CapiLabels.PodDrain, out var value) != true) return PodDrainStatus.Drain;
        if (string.Equals(value, MachineDrainBehavior.Skip, StringComparison.OrdinalIgnoreCase)) return PodDrainStatus.Skip;
        var dash = value!.IndexOf('-', StringComparison.Ordinal);
        var withoutFirstDash = dash < 0 ? value : value.Remove(dash, 1);
        return string.Equals(withoutFirstDash, MachineDrainBehavior.WaitCompleted, StringComparison.OrdinalIgnoreCase)
            ? PodDrainStatus.WaitCompleted
            : PodDrainStatus.Drain;
    }

    private static PodDrainStatus Rules(V1Pod pod, PodDrainContext context)
    {
        if (!context.Namespaces.TryGetValue(pod.Metadata.NamespaceProperty, out var ns))
            return PodDrainStatus.Failed("Pod Namespace does not exist");
        foreach (var rule in context.Rules)
        {
            if (!DrainRules.AppliesToPod(rule, pod.Metadata.Labels, ns.Metadata.Labels)) continue;
            return rule.Spec.Drain.Behavior switch
            {
                MachineDrainBehavior.Drain => new PodDrainStatus(MachineDrainBehavior.Drain, rule.Spec.Drain.Order ?? 0),
                MachineDrainBehavior.Skip => PodDrainStatus.Skip,
                MachineDrainBehavior.WaitCompleted => PodDrainStatus.WaitCompleted,
                var other => PodDrainStatus.Failed($"MachineDrainRule \"{rule.Metadata.Name}\" has unknown spec.drain.behavior: \"{other}\""),
            };
        }
        return PodDrainStatus.Drain;
    }

    private static bool Finished(V1Pod pod) => pod.Status?.Phase is "Succeeded" or "Failed";
}
