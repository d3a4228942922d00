using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>Whether an object may be reconciled: not when its Cluster is paused (spec.paused or the paused
/// annotation) nor when it carries the paused annotation itself. Records the answer in the Paused condition.</summary>
public static class PauseCheck
{
    /// <summary>The verdict, and whether it differs from what the object's Paused condition said so far.</summary>
    public readonly record struct Outcome(bool Paused, bool Changed, string Message)
    {
        public bool Resumed => Changed && !Paused;
    }

    public static async Task<Outcome> CheckAsync<T>(KubeApi kube, T obj, JsonObject json, DateTimeOffset now, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var kind = ExternalObjects.Text(json, "kind") ?? typeof(T).Name;
        var reasons = new List<string>();
        if (obj is Api.Cluster self)
        {
            if (self.Spec.Paused == true) reasons.Add("Cluster spec.paused is set to true");
        }
        else if ((ExternalObjects.Text(json, "metadata", "labels", CapiLabels.ClusterName) ?? ExternalObjects.Text(json, "spec", "clusterName")) is { } clusterName
                 && await kube.GetAsync<Api.Cluster>(obj.Metadata.NamespaceProperty, clusterName, ct) is { } cluster)
        {
            if (cluster.Spec.Paused == true) reasons.Add("Cluster spec.paused is set to true");
            else if (HasAnnotation(cluster.Metadata)) reasons.Add("Cluster has the cluster.x-k8s.io/paused annotation");
        }
        if (HasAnnotation(obj.Metadata)) reasons.Add($"{kind} has the cluster.x-k8s.io/paused annotation");

        var paused = reasons.Count > 0;
        var message = string.Join(", ", reasons);
        var status = ConditionsOf(obj);
        var wasPaused = Conditions.IsTrue(status, CommonConditions.Paused);
        if (status is not null)
        {
            Conditions.Set(status, new Condition
            {
                Type = CommonConditions.Paused,
                Status = ConditionStatus.Of(paused),
                Reason = paused ? CommonReasons.Paused : CommonReasons.NotPaused,
                Message = message,
                ObservedGeneration = obj.Metadata.Generation,
            }, now.UtcDateTime);
        }
        return new Outcome(paused, wasPaused != paused, message);
    }

    private static bool HasAnnotation(V1ObjectMeta meta) => meta.Annotations?.ContainsKey(CapiAnnotations.Paused) == true;

    /// <summary>The object's status when it carries conditions (every kind with a workflow does).</summary>
    private static IConditionsStatus? ConditionsOf(object obj) =>
        obj.GetType().GetProperty("Status")?.GetValue(obj) as IConditionsStatus;
}
