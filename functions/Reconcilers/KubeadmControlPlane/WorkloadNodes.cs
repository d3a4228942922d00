using System.Collections.Concurrent;
using System.Text;
using k8s.Models;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.ControlPlane;

namespace ServerlessCapi.Reconcilers.KubeadmControlPlane;

/// <summary>Reads a workload cluster's Nodes through the kubeconfig Secret the control plane wrote (so it works
/// for any infrastructure provider). Clients are cached per Secret resourceVersion.</summary>
public static class WorkloadNodes
{
    private static readonly ConcurrentDictionary<(string Namespace, string Cluster), (string Version, KubeApi Api)> Clients = new();

    /// <summary>Node readiness by name, or null when the workload cluster cannot be reached now.</summary>
    public static async Task<IReadOnlyDictionary<string, bool>?> ReadAsync(KubeApi management, string ns, string cluster, CancellationToken ct)
    {
        var secret = await management.GetAsync<V1Secret>(ns, WorkloadKubeconfig.SecretName(cluster), ct);
        if (secret?.Data is null || !secret.Data.TryGetValue("value", out var bytes)) return null;
        var version = secret.Metadata.ResourceVersion ?? "";
        if (!Clients.TryGetValue((ns, cluster), out var entry) || entry.Version != version)
        {
            entry = (version, KubeApi.FromKubeconfigText(Encoding.UTF8.GetString(bytes)));
            Clients[(ns, cluster)] = entry;
        }
        try
        {
            var nodes = await entry.Api.ListAsync<V1Node>(null, ct: ct);
            return nodes.ToDictionary(n => n.Metadata.Name,
                n => n.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true, StringComparer.Ordinal);
        }
        catch (Exception e) when (e is HttpRequestException or KubeApiException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return null;
        }
    }
}
