using k8s.Models;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>What one eviction pass left on the Node, and the lines CAPI writes for it.</summary>
internal sealed class EvictionResult
{
    private const string DisruptionBudget = "cannot evict pod as it would violate the pod's disruption budget.";

    public List<V1Pod> DeletionTimestampSet { get; } = [];
    public SortedDictionary<string, List<V1Pod>> FailedEviction { get; } = new(StringComparer.Ordinal);
    public List<V1Pod> EvictLater { get; } = [];
    public List<V1Pod> WaitCompletedNow { get; } = [];
    public List<V1Pod> WaitCompletedLater { get; } = [];

    public bool Completed => DeletionTimestampSet.Count == 0 && FailedEviction.Count == 0 && EvictLater.Count == 0
                             && WaitCompletedNow.Count == 0 && WaitCompletedLater.Count == 0;

    public void Failed(string message, V1Pod pod)
    {
        if (!FailedEviction.TryGetValue(message, out var pods)) FailedEviction[message] = pods = [];
        pods.Add(pod);
    }

    /// <summary>The lines under "Drain not completed yet", at most five failure causes, three Pods per line.</summary>
    public string Message()
    {
        if (Completed) return "";
        var lines = new List<string>();
        if (DeletionTimestampSet.Count > 0)
            lines.Add($"* {Kind(DeletionTimestampSet)} {List(DeletionTimestampSet)}: deletionTimestamp set, but still not removed from the Node");
        foreach (var (failure, pods) in FailedEviction.Take(5))
        {
            var text = failure.Replace("Cannot evict pod as it would violate the pod's disruption budget.", DisruptionBudget, StringComparison.Ordinal);
            if (!text.StartsWith(DisruptionBudget, StringComparison.Ordinal)) text = "failed to evict Pod, " + text;
            lines.Add($"* {Kind(pods)} {List(pods)}: {text}");
        }
        var others = FailedEviction.Skip(5).Sum(f => f.Value.Count);
        if (others > 0) lines.Add(others == 1 ? "* 1 Pod with other issues" : $"* {others} Pods with other issues");
        if (WaitCompletedNow.Count > 0)
            lines.Add($"* {Kind(WaitCompletedNow)} {List(WaitCompletedNow)}: waiting for completion");
        if (EvictLater.Count > 0)
            lines.Add($"After above Pods have been removed from the Node, the following Pods will be evicted: {List(EvictLater)}");
        if (WaitCompletedLater.Count > 0)
            lines.Add($"After above Pods have been removed from the Node, waiting for the following Pods to complete without eviction: {List(WaitCompletedLater)}");
        return string.Join("\n", lines);
    }

    private static string Kind(List<V1Pod> pods) => pods.Count > 1 ? "Pods" : "Pod";

    private static string List(List<V1Pod> pods) =>
        string.Join(", ", pods.Take(3).Select(NodeDrain.Id).Concat(pods.Count > 3 ? [$"... ({pods.Count - 3} more)"] : []));
}
