using k8s.Models;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>Where the cloud keeps its simulated workload clusters (one isolated API per CAPI Cluster).</summary>
public interface IWorkloadClusters
{
    /// <summary>The API server URL of a workload cluster (<c>http://host:port/clusters/&lt;ns&gt;--&lt;name&gt;</c>).</summary>
    Uri ServerUrl(string clusterKey);

    /// <summary>Makes sure the workload cluster exists (idempotent).</summary>
    Task EnsureClusterAsync(string clusterKey, CancellationToken ct);

    /// <summary>Removes the workload cluster and everything in it (idempotent).</summary>
    Task DeleteClusterAsync(string clusterKey, CancellationToken ct);

    /// <summary>Creates the Node or brings its labels, providerID, addresses and conditions in line (idempotent).</summary>
    Task EnsureNodeAsync(string clusterKey, V1Node node, CancellationToken ct);

    /// <summary>Deletes the Node (idempotent).</summary>
    Task DeleteNodeAsync(string clusterKey, string nodeName, CancellationToken ct);
}
