using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>Workload clusters reached over their Kubernetes API with a bearer token — the way a kubelet
/// would register its Node, so the cloud works against any server that speaks the API.</summary>
/// <param name="serverUrl">The API server URL of a workload cluster, by cluster key.</param>
/// <param name="tokenFor">The bearer token of a workload cluster, by cluster key: each cluster has its own, which opens
/// it alone (the hosting server's token does not).</param>
/// <param name="ensureCluster">Creates a cluster where the server needs that (optional).</param>
/// <param name="deleteCluster">Removes a cluster and its data (optional; otherwise its Nodes are deleted).</param>
/// <param name="certificateAuthorityPem">The CA of an HTTPS server; without one an HTTPS server's certificate is
/// not verified (the cloud only talks to its own server on loopback).</param>
public sealed class KubeWorkloadClusters(
    Func<string, Uri> serverUrl,
    Func<string, string> tokenFor,
    Func<string, CancellationToken, Task>? ensureCluster = null,
    Func<string, CancellationToken, Task>? deleteCluster = null,
    string? certificateAuthorityPem = null) : IWorkloadClusters, IDisposable
{
    private readonly ConcurrentDictionary<string, KubeApi> _apis = new();

    public Uri ServerUrl(string clusterKey) => serverUrl(clusterKey);

    public Task EnsureClusterAsync(string clusterKey, CancellationToken ct) =>
        ensureCluster?.Invoke(clusterKey, ct) ?? Task.CompletedTask;

    public async Task DeleteClusterAsync(string clusterKey, CancellationToken ct)
    {
        if (deleteCluster is not null)
        {
            await deleteCluster(clusterKey, ct);
        }
        else
        {
            var api = Api(clusterKey);
            foreach (var node in await api.ListAsync<V1Node>(null, ct: ct))
                await api.DeleteAsync<V1Node>(null, node.Metadata.Name, node.Metadata.Uid, ct: ct);
        }
        if (_apis.TryRemove(clusterKey, out var removed)) removed.Dispose();
    }

    public async Task EnsureNodeAsync(string clusterKey, V1Node node, CancellationToken ct)
    {
        var api = Api(clusterKey);
        var existing = await api.CreateOrGetAsync(node, ct);
        if (StatusMatches(existing, node)) return;
        if (existing.Spec?.ProviderID != node.Spec.ProviderID)
        {
            var spec = new JsonObject { ["spec"] = new JsonObject { ["providerID"] = node.Spec.ProviderID } };
            await api.MergePatchAsync<V1Node>(null, node.Metadata.Name, spec, ct: ct);
        }
        // A server may drop status on create (Kubernetes does for most kinds): set it on the subresource.
        var status = new JsonObject { ["status"] = JsonNode.Parse(KubernetesJson.Serialize(node.Status)) };
        await api.MergePatchAsync<V1Node>(null, node.Metadata.Name, status, status: true, ct: ct);
    }

    public async Task DeleteNodeAsync(string clusterKey, string nodeName, CancellationToken ct) =>
        await Api(clusterKey).DeleteAsync<V1Node>(null, nodeName, ct: ct);

    public void Dispose()
    {
        foreach (var api in _apis.Values) api.Dispose();
        _apis.Clear();
    }

    private KubeApi Api(string clusterKey) =>
        _apis.GetOrAdd(clusterKey, key =>
        {
            var url = serverUrl(key);
            var config = new KubernetesClientConfiguration { Host = url.ToString(), AccessToken = tokenFor(key) };
            if (url.Scheme == Uri.UriSchemeHttps)
            {
                if (certificateAuthorityPem is null) config.SkipTlsVerify = true;
                else config.SslCaCerts = [X509Certificate2.CreateFromPem(certificateAuthorityPem)];
            }
            return new KubeApi(config);
        });

    private static bool StatusMatches(V1Node actual, V1Node wanted)
    {
        static string? Ready(V1Node n) => n.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready")?.Status;
        return Ready(actual) == Ready(wanted)
               && actual.Spec?.ProviderID == wanted.Spec.ProviderID
               && actual.Status?.NodeInfo?.KubeletVersion == wanted.Status.NodeInfo.KubeletVersion
               && (actual.Status?.Addresses?.Count ?? 0) == wanted.Status.Addresses.Count;
    }
}
