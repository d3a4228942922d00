using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.InMemory.Client;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.ProviderCommon;

namespace ServerlessCapi.Reconcilers.DevCluster;

/// <summary>The DevCluster reconciler (in-memory backend): a load balancer in the in-memory cloud for the
/// Cluster's control plane, its endpoint in <c>spec.controlPlaneEndpoint</c>, and
/// <c>status.initialization.provisioned</c>. Deleting the DevCluster deletes the load balancer.</summary>
/// <remarks>The load balancer is keyed by the owning Cluster's namespace and name, which is also the path of
/// the simulated workload cluster (<c>/clusters/&lt;ns&gt;--&lt;name&gt;</c>) in the cloud's API server.</remarks>
public sealed class DevClusterReconciler(KubeApi kube, InMemoryCloudClient cloud, ILogger<DevClusterReconciler> logger)
    : ObjectReconciler<Api.DevCluster>(kube, logger)
{
    protected override async Task<ReconcileResult> ReconcileAsync(Api.DevCluster obj, ReconcileContext context, CancellationToken ct)
    {
        var now = context.Now;
        var ns = obj.Metadata.NamespaceProperty;
        var clusterName = obj.Metadata.ControllerOfKind(CapiGroups.Core, "Cluster")?.Name ?? obj.Metadata.Label(CapiLabels.ClusterName);

        if (obj.Metadata.IsDeleting())
            return await DeleteAsync(obj, ns, clusterName, now, ct);

        if (clusterName is null)
        {
            DevClusterStatus.WaitingForCluster(obj, now);
            return ReconcileResult.Done("waiting for the Cluster to own this DevCluster");
        }
        var cluster = await Kube.GetAsync<Api.Cluster>(ns, clusterName, ct);
        if (obj.Spec.Backend.InMemory is null)
        {
            DevClusterStatus.UnsupportedBackend(obj, now);
            return ReconcileResult.Done("only the in-memory backend is served");
        }

        obj.Metadata.AddFinalizer(CapiFinalizers.DevCluster);
        var lb = await cloud.EnsureClusterAsync(ns, clusterName, ct);
        // The endpoint is immutable once set (CAPI's rule): a later answer never moves it.
        if (obj.Spec.ControlPlaneEndpoint is not { IsValid: true })
            obj.Spec.ControlPlaneEndpoint = new ApiEndpoint { Host = lb.Host, Port = lb.Port };
        DevClusterStatus.Provisioned(obj, now);
        return ReconcileResult.Done("provisioned");
    }

    private async Task<ReconcileResult> DeleteAsync(Api.DevCluster obj, string ns, string? clusterName, DateTimeOffset now, CancellationToken ct)
    {
        DevClusterStatus.Deleting(obj, now);
        if (clusterName is not null) await cloud.DeleteClusterAsync(ns, clusterName, ct);
        obj.Metadata.RemoveFinalizer(CapiFinalizers.DevCluster);
        Logger.LogInformation("DevCluster {Namespace}/{Name}: load balancer deleted", ns, obj.Metadata.Name);
        return ReconcileResult.Done("deleted");
    }
}
