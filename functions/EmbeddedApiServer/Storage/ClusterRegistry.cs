using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using ServerlessCapi.EmbeddedApiServer.Gc;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>The clusters one server hosts: the management cluster ("") and simulated workload clusters by name,
/// each created on first use with its own garbage collector.</summary>
public sealed partial class ClusterRegistry(ClusterSettings settings, ILogger logger) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Cluster>> _clusters = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentBag<Task> _collectors = [];

    /// <summary>Raised after any change in any cluster (drives the snapshot writer).</summary>
    public event Action? Changed;

    public IEnumerable<Cluster> All => _clusters.Values.Select(l => l.Value);

    public static bool IsValidName(string name) => name.Length == 0 || (name.Length <= 253 && ClusterName().IsMatch(name));

    public Cluster GetOrCreate(string name) =>
        _clusters.GetOrAdd(name, n => new Lazy<Cluster>(() => Attach(new Cluster(n, settings)))).Value;

    /// <summary>Adds a cluster restored from a snapshot (before the server takes requests).</summary>
    public void Add(Cluster cluster) => _clusters[cluster.Name] = new Lazy<Cluster>(Attach(cluster));

    private Cluster Attach(Cluster cluster)
    {
        cluster.Changed += () => Changed?.Invoke();
        _collectors.Add(Task.Run(() => GarbageCollector.RunAsync(cluster, logger, _stop.Token)));
        return cluster;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_collectors);
        _stop.Dispose();
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9._]*[a-z0-9])?$")]
    private static partial Regex ClusterName();
}
