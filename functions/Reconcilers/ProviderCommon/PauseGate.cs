using k8s.Models;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.ProviderCommon;

/// <summary>CAPI's pause rule for provider objects: nothing is reconciled while the Cluster is paused
/// (spec.paused or its paused annotation) or the object carries the paused annotation. The answer is
/// recorded in the object's Paused condition either way.</summary>
public static class PauseGate
{
    /// <summary>Sets the Paused condition; returns true when the object must not be reconciled now.</summary>
    public static bool Check(V1ObjectMeta meta, IConditionsStatus status, Api.Cluster? cluster, DateTimeOffset now)
    {
        var reasons = new List<string>();
        if (cluster?.Spec.Paused == true) reasons.Add("Cluster spec.paused is set to true");
        else if (ClusterFacts.HasPausedAnnotation(cluster?.Metadata.Annotations)) reasons.Add("Cluster has the cluster.x-k8s.io/paused annotation");
        if (ClusterFacts.HasPausedAnnotation(meta.Annotations)) reasons.Add("Object has the cluster.x-k8s.io/paused annotation");
        var paused = reasons.Count > 0;
        Conditions.Set(status, CommonConditions.Paused, ConditionStatus.Of(paused),
            paused ? CommonReasons.Paused : CommonReasons.NotPaused, string.Join("; ", reasons), meta.Generation, now.UtcDateTime);
        return paused;
    }
}
