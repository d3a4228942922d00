using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.ProviderCommon;

/// <summary>What providers read off their Cluster, as CAPI's contracts define it.</summary>
public static class ClusterFacts
{
    public static bool InfrastructureProvisioned(Api.Cluster cluster) =>
        cluster.Status.Initialization?.InfrastructureProvisioned == true
        || Conditions.IsTrue(cluster.Status, ClusterConditions.InfrastructureReady);

    public static bool ControlPlaneInitialized(Api.Cluster cluster) =>
        cluster.Status.Initialization?.ControlPlaneInitialized == true
        || Conditions.IsTrue(cluster.Status, ClusterConditions.ControlPlaneInitialized);

    /// <summary><c>host:port</c> of the control plane endpoint, or null while it is not set.</summary>
    public static string? Endpoint(Api.Cluster cluster) =>
        cluster.Spec.ControlPlaneEndpoint is { Host: { Length: > 0 } host, Port: > 0 } e ? $"{host}:{e.Port}" : null;
}
