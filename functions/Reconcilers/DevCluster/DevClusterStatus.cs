using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.DevCluster;

/// <summary>Every condition and field the DevCluster workflow reports, in one place.</summary>
public static class DevClusterStatus
{
    public static void Provisioned(Api.DevCluster obj, DateTimeOffset now)
    {
        obj.Status.Initialization ??= new InfrastructureInitializationStatus();
        obj.Status.Initialization.Provisioned = true;
        Ready(obj, ConditionStatus.True, DevClusterReasons.Ready, "", now);
    }

    public static void WaitingForCluster(Api.DevCluster obj, DateTimeOffset now) =>
        Ready(obj, ConditionStatus.False, DevClusterReasons.NotReady, "Waiting for the Cluster controller to set the owner reference", now);

    public static void UnsupportedBackend(Api.DevCluster obj, DateTimeOffset now) =>
        Ready(obj, ConditionStatus.False, DevClusterReasons.NotReady, "Only spec.backend.inMemory is supported", now);

    public static void Deleting(Api.DevCluster obj, DateTimeOffset now) =>
        Ready(obj, ConditionStatus.False, DevClusterReasons.DockerLoadBalancerDeleting, "Deleting the load balancer", now);

    private static void Ready(Api.DevCluster obj, string status, string reason, string message, DateTimeOffset now) =>
        Conditions.Set(obj.Status, DevClusterConditions.Ready, status, reason, message, obj.Metadata.Generation, now.UtcDateTime);
}
