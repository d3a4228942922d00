using System.Collections.Concurrent;
using System.Text;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Workload;

/// <summary>Clients for workload clusters, built from each cluster's <c>&lt;cluster&gt;-kubeconfig</c> Secret.</summary>
/// <remarks>
/// The only way reconcilers reach a workload cluster (like CAPI's ClusterCache), so they work against
/// any provider that writes the kubeconfig Secret. A client is rebuilt when the Secret's
/// resourceVersion changes (rotated credentials, moved endpoint); every call reads the Secret's
/// metadata fresh, so a deleted Secret means "not connected". The kubeconfig never reaches a log line.
/// </remarks>
public sealed class WorkloadClusters(KubeApi management, ILogger<WorkloadClusters> logger) : IDisposable
{
    /// <summary>The Secret key holding the kubeconfig (the control plane provider contract).</summary>
    public const string KubeconfigKey = "value";

    private readonly ConcurrentDictionary<(string Namespace, string Cluster), Entry> _entries = new();

    public static string KubeconfigSecretName(string clusterName) => $"{clusterName}-kubeconfig";

    /// <summary>A client for the workload cluster, or null when its kubeconfig Secret does not exist (yet).</summary>
    public async Task<KubeApi?> GetAsync(string ns, string clusterName, CancellationToken ct = default)
    {
        var secret = await management.GetAsync<V1Secret>(ns, KubeconfigSecretName(clusterName), ct);
        if (secret?.Data is null || !secret.Data.TryGetValue(KubeconfigKey, out var bytes) || bytes.Length == 0)
        {
            _entries.TryRemove((ns, clusterName), out _);
            return null;
        }

        var version = secret.Metadata.ResourceVersion ?? "";
        var key = (ns, clusterName);
        if (_entries.TryGetValue(key, out var cached) && cached.ResourceVersion == version)
            return cached.Api;

        KubeApi api;
        try
        {
            api = KubeApi.FromKubeconfigText(Encoding.UTF8.GetString(bytes));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The exception text may quote the kubeconfig; log only its type.
            logger.LogWarning("Kubeconfig Secret {Namespace}/{Secret} cannot be parsed ({Error})", ns, KubeconfigSecretName(clusterName), e.GetType().Name);
            return null;
        }
        // Replaced clients are not disposed here: a reconcile running concurrently may still use one.
        _entries[key] = new Entry(version, api);
        return api;
    }

    /// <summary>Checks that the workload cluster's API answers (the RemoteConnectionProbe). Never throws for
    /// connection problems: the result carries a short, secret-free reason.</summary>
    public async Task<ProbeResult> ProbeAsync(string ns, string clusterName, CancellationToken ct = default)
    {
        var (api, failure) = await ClientAsync(ns, clusterName, ct);
        if (api is null) return failure!;
        return await AnswersAsync(() => api.SendAsync<System.Text.Json.Nodes.JsonObject>(HttpMethod.Get, "/api/v1/namespaces/kube-system", null, null, ct), ct);
    }

    /// <summary>The probe and the workload cluster's Nodes, for the periodic <see cref="Hosting.WorkloadProber"/>: it
    /// uses the client built last time without reading the kubeconfig Secret again, and reads the Secret only when that
    /// client fails (rotated credentials, a moved endpoint) or there is none yet, so a healthy fleet costs the management
    /// cluster nothing here.</summary>
    public async Task<(ProbeResult Probe, IReadOnlyList<V1Node>? Nodes)> ProbeNodesAsync(string ns, string clusterName, CancellationToken ct = default)
    {
        if (_entries.TryGetValue((ns, clusterName), out var cached))
        {
            var result = await NodesAsync(cached.Api, ct);
            if (result.Probe.Succeeded) return result;
        }
        var (api, failure) = await ClientAsync(ns, clusterName, ct);
        return api is null ? (failure!, null) : await NodesAsync(api, ct);
    }

    private static async Task<(ProbeResult Probe, IReadOnlyList<V1Node>? Nodes)> NodesAsync(KubeApi api, CancellationToken ct)
    {
        IReadOnlyList<V1Node>? nodes = null;
        var probe = await AnswersAsync(async () => nodes = await api.ListAsync<V1Node>(null, ct: ct), ct);
        return (probe, nodes);
    }

    private async Task<(KubeApi? Api, ProbeResult? Failure)> ClientAsync(string ns, string clusterName, CancellationToken ct)
    {
        try
        {
            return await GetAsync(ns, clusterName, ct) is { } api
                ? (api, null)
                : (null, new ProbeResult(false, $"Secret {KubeconfigSecretName(clusterName)} does not exist"));
        }
        catch (KubeApiException e)
        {
            return (null, new ProbeResult(false, $"Cannot read Secret {KubeconfigSecretName(clusterName)}: {e.Reason}"));
        }
    }

    /// <summary>Whether the workload cluster's API answered <paramref name="call"/>; a 404 is an answer too.</summary>
    private static async Task<ProbeResult> AnswersAsync(Func<Task> call, CancellationToken ct)
    {
        try
        {
            await call();
            return new ProbeResult(true, null);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return new ProbeResult(true, null); // The API answered; a missing object is not a connection problem.
        }
        catch (KubeApiException e)
        {
            return new ProbeResult(false, $"Workload cluster API returned {(int)e.Status} {e.Reason}");
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return new ProbeResult(false, $"Workload cluster API is not reachable ({e.GetType().Name})");
        }
    }

    /// <summary>Forgets a cluster (its Cluster object is gone).</summary>
    public void Forget(string ns, string clusterName) => _entries.TryRemove((ns, clusterName), out _);

    public void Dispose()
    {
        foreach (var entry in _entries.Values) entry.Api.Dispose();
        _entries.Clear();
    }

    private sealed record Entry(string ResourceVersion, KubeApi Api);
}

/// <summary>The outcome of one connection probe.</summary>
public sealed record ProbeResult(bool Succeeded, string? Message);
