using System.Collections.Concurrent;
using k8s.Models;
using ServerlessCapi.Providers.InMemory.Cloud;

namespace ServerlessCapi.Reconcilers.Tests.Providers.InMemory;

/// <summary>Workload clusters kept in a dictionary, for tests of the cloud's own API and clock.</summary>
public sealed class RecordingWorkloadClusters : IWorkloadClusters
{
    public ConcurrentDictionary<string, ConcurrentDictionary<string, V1Node>> Clusters { get; } = new();

    public Uri ServerUrl(string clusterKey) => new($"http://127.0.0.1:6443/clusters/{clusterKey}");

    public Task EnsureClusterAsync(string clusterKey, CancellationToken ct)
    {
        Clusters.GetOrAdd(clusterKey, _ => new());
        return Task.CompletedTask;
    }

    public Task DeleteClusterAsync(string clusterKey, CancellationToken ct)
    {
        Clusters.TryRemove(clusterKey, out _);
        return Task.CompletedTask;
    }

    public Task EnsureNodeAsync(string clusterKey, V1Node node, CancellationToken ct)
    {
        Clusters.GetOrAdd(clusterKey, _ => new())[node.Metadata.Name] = node;
        return Task.CompletedTask;
    }

    public Task DeleteNodeAsync(string clusterKey, string nodeName, CancellationToken ct)
    {
        if (Clusters.TryGetValue(clusterKey, out var nodes)) nodes.TryRemove(nodeName, out _);
        return Task.CompletedTask;
    }

    public V1Node? Node(string clusterKey, string name) =>
        Clusters.TryGetValue(clusterKey, out var nodes) && nodes.TryGetValue(name, out var node) ? node : null;
}
