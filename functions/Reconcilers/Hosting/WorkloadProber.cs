using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Clusters;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Hosting;

/// <summary>What one probing round did.</summary>
/// <param name="Probed">Clusters whose workload API was probed.</param>
/// <param name="Woken">Cluster workflows signalled because what their workload cluster says changed.</param>
public sealed record ProbeRound(int Probed, int Woken);

/// <summary>
/// The periodic look at every workload cluster (run by the <c>probe</c> timer): probes its API and lists its Nodes,
/// and wakes a Cluster's workflow only when the outcome differs from the last round's (the probe failing or
/// recovering, a Node appearing, going, or changing its Ready condition). The workflow then does the full reconcile:
/// it sets <c>RemoteConnectionProbe</c> and wakes the Machines whose Node changed.
/// </summary>
/// <remarks>
/// Cluster API's ClusterCache probes each workload cluster on a timer too; here the workflows used to, each Cluster
/// taking a full reconcile every minute (about nine management-cluster requests and a committed step), so an idle
/// fleet of 1,000 clusters cost 9,000 API requests a minute. A round costs the management cluster one list of
/// Clusters; the probes go to the workload clusters. What the last round saw is kept in memory: after a restart the
/// first round wakes every probed Cluster once.
/// </remarks>
public sealed class WorkloadProber(KubeApi management, WorkloadClusters workloads, Workflows.Reconcile.IObjectSignals signals, ILogger<WorkloadProber> logger)
{
    /// <summary>Only the Clusters of this namespace (null: every namespace).</summary>
    public string? Namespace { get; init; }

    /// <summary>Workload clusters probed at once.</summary>
    public int Concurrency { get; init; } = 16;

    private readonly ConcurrentDictionary<string, string> _seen = new(StringComparer.Ordinal);

    /// <summary>One round. A round repeated by another process costs each changed Cluster one more reconcile at most:
    /// its entity coalesces the signals.</summary>
    public async Task<ProbeRound> RunAsync(CancellationToken ct)
    {
        var clusters = (await management.ListAsync<Api.Cluster>(Namespace, ct: ct))
            .Where(c => c.Metadata.DeletionTimestamp is null && c.Spec?.Paused != true
                        && c.Status?.Initialization?.ControlPlaneInitialized == true && c.Metadata.Uid is { Length: > 0 })
            .ToList();
        var live = clusters.Select(c => c.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        foreach (var uid in _seen.Keys.Where(k => !live.Contains(k)).ToList()) _seen.TryRemove(uid, out _);

        var woken = 0;
        await Parallel.ForEachAsync(clusters, new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, Concurrency), CancellationToken = ct },
            async (c, token) =>
            {
                var ns = c.Metadata.NamespaceProperty;
                var (probe, nodes) = await workloads.ProbeNodesAsync(ns, c.Metadata.Name, token);
                var digest = Digest(probe, nodes);
                if (_seen.TryGetValue(c.Metadata.Uid, out var last) && last == digest) return;
                var key = new ObjectKey(Api.Cluster.KubeKind, ns, c.Metadata.Name, c.Metadata.Uid);
                try
                {
                    // Signals coalesce at the entity, so a round repeated by another process costs a reconcile at most.
                    await signals.SignalChangedAsync([ReconcileStep.ToDurable(key)], token);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // Not remembered as seen: the next round tries again. The other clusters of this round go on.
                    logger.LogWarning("Cluster {Namespace}/{Name}: waking its workflow failed ({Error}); the next round retries", ns, c.Metadata.Name,
                        e.GetType().Name);
                    return;
                }
                _seen[c.Metadata.Uid] = digest;
                Interlocked.Increment(ref woken);
                if (last is not null)
                    logger.LogInformation("Cluster {Namespace}/{Name}: its workload cluster changed ({Probe}); woke its workflow", ns, c.Metadata.Name,
                        probe.Succeeded ? "nodes" : probe.Message);
            });
        return new ProbeRound(clusters.Count, woken);
    }

    /// <summary>The probe's outcome and every Node's Ready status, as a short hash.</summary>
    public static string Digest(ProbeResult probe, IReadOnlyList<k8s.Models.V1Node>? nodes)
    {
        var text = new StringBuilder(probe.Succeeded ? "ok" : "failed");
        foreach (var n in (nodes ?? []).OrderBy(n => n.Metadata.Name, StringComparer.Ordinal))
        {
            text.Append('\n').Append(n.Metadata.Name).Append('=').Append(ClusterReconciler.NodeReady(n));
        }
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())), 0, 8).ToLowerInvariant();
    }
}
