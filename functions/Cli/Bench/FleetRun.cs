using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Cli.Up;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;

namespace ServerlessCapi.Cli.Bench;

/// <summary>A fresh local deployment for a fleet benchmark or chaos run, and the measurements both need: the
/// fleet applied, progress, storage requests counted by the emulator, API requests counted by the server, RSS.</summary>
internal sealed class FleetRun : IAsyncDisposable
{
    private readonly HttpClient _http = new();
    private readonly int[] _countsPorts;

    private FleetRun(LocalEnvironment env, KubeApi kube, FleetShape shape, int[] countsPorts, string stateDir)
    {
        Env = env;
        Kube = kube;
        Shape = shape;
        _countsPorts = countsPorts;
        StateDir = stateDir;
    }

    public LocalEnvironment Env { get; }
    public KubeApi Kube { get; }
    public FleetShape Shape { get; }
    public string StateDir { get; }

    /// <summary>Requests this process sent to the API server (subtracted from the server's counts).</summary>
    public Dictionary<string, long> OwnRequests { get; } = new(StringComparer.Ordinal);

    public static async Task<FleetRun> StartAsync(FleetShape shape, int instances, bool persistentStorage, CancellationToken ct)
    {
        Reconcilers.Framework.CapiResources.Register();
        var state = Directory.CreateTempSubdirectory("scapi-fleet-").FullName;
        var countsPorts = FreePorts.Take(3);
        var env = await LocalEnvironment.StartAsync(new LocalEnvironmentOptions(state, instances, persistentStorage,
            BeforeApps: UpVerb.InstallCrdsAsync, AzuriteCountsPorts: countsPorts), ct);
        var kube = KubeApi.FromKubeconfigFile(env.KubeconfigPath);
        await kube.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = shape.Namespace } }, ct);
        return new FleetRun(env, kube, shape, countsPorts, state);
    }

    /// <summary>Applies every cluster, 8 at a time.</summary>
    public async Task ApplyAsync(CancellationToken ct)
    {
        var applier = new ManifestApplier(Kube);
        await Parallel.ForEachAsync(Enumerable.Range(1, Shape.Clusters), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct },
            async (i, token) => await applier.ApplyAsync(Shape.Objects(i), ct: token));
        lock (OwnRequests) OwnRequests["create"] = OwnRequests.GetValueOrDefault("create") + (Shape.Clusters * Shape.Objects(1).Count);
    }

    /// <summary>Polls (every <paramref name="interval"/>) until every cluster is Available with all its Machines
    /// Running; null on timeout.</summary>
    public async Task<FleetState?> WaitAllRunningAsync(TimeSpan timeout, TimeSpan interval, Action<FleetState>? progress, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var state = await ReadAsync(ct);
            progress?.Invoke(state);
            if (state.Clusters == Shape.Clusters && state.ClustersAvailable == Shape.Clusters && state.Machines == Shape.Machines && state.Running == Shape.Machines)
                return state;
            await Task.Delay(interval, ct);
        }
        return null;
    }

    public async Task<FleetState> ReadAsync(CancellationToken ct)
    {
        var state = await FleetState.ReadAsync(Kube, Shape.Namespace, ct);
        var pages = 2 + ((state.Machines + state.Clusters) / 500);
        lock (OwnRequests) OwnRequests["list"] = OwnRequests.GetValueOrDefault("list") + pages;
        return state;
    }

    /// <summary>Deletes every Cluster and waits (polling every <paramref name="interval"/>) until no Cluster or Machine is left.</summary>
    public async Task<bool> DeleteAllAsync(TimeSpan timeout, TimeSpan interval, Action<FleetState>? progress, CancellationToken ct)
    {
        foreach (var c in await FleetState.ListAsync(Kube, "clusters", Shape.Namespace, ct))
            await Kube.DeleteAsync<Api.Cluster>(Shape.Namespace, c["metadata"]!["name"]!.GetValue<string>(), ct: ct);
        lock (OwnRequests) OwnRequests["delete"] = OwnRequests.GetValueOrDefault("delete") + Shape.Clusters;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            var state = await ReadAsync(ct);
            progress?.Invoke(state);
            if (state.Clusters == 0 && state.Machines == 0) return true;
            await Task.Delay(interval, ct);
        }
        return false;
    }

    /// <summary>Storage requests served so far, by component: the app's (everything but the in-memory cloud's own
    /// table, which stands in for a cloud provider's API) and the cloud's.</summary>
    public async Task<(long App, long Cloud, Dictionary<string, long> ByResource)> StorageRequestsAsync(CancellationToken ct)
    {
        var rows = new List<JsonNode?>();
        foreach (var port in _countsPorts)
            rows.AddRange(await _http.GetFromJsonAsync<JsonArray>(new Uri($"http://127.0.0.1:{port}/counts"), ct) ?? []);
        var byResource = new Dictionary<string, long>(StringComparer.Ordinal);
        long app = 0, cloud = 0;
        foreach (var row in rows.OfType<JsonObject>())
        {
            var resource = $"{row["service"]}:{row["resource"]}";
            var count = row["count"]!.GetValue<long>();
            byResource[resource] = byResource.GetValueOrDefault(resource) + count;
            if (row["resource"]!.GetValue<string>().StartsWith("InMemoryCloud", StringComparison.Ordinal)) cloud += count;
            else app += count;
        }
        return (app, cloud, byResource);
    }

    /// <summary>The API server's request totals by verb, less this process's own.</summary>
    public async Task<Dictionary<string, long>> ApiRequestsAsync(CancellationToken ct)
    {
        var text = await Kube.SendTextAsync("/metrics", ct);
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n'))
        {
            if (!line.StartsWith("apiserver_request_total{verb=\"", StringComparison.Ordinal)) continue;
            var verb = line[30..line.IndexOf('"', 30)];
            var value = long.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            lock (OwnRequests) counts[verb] = Math.Max(0, value - OwnRequests.GetValueOrDefault(verb));
        }
        return counts;
    }

    /// <summary>The app processes' counters whose series start with <paramref name="metric"/>, summed over processes,
    /// by label set (for example <c>scapi_workflow_steps_total</c> by workflow and outcome).</summary>
    public async Task<Dictionary<string, long>> AppCountersAsync(string metric, CancellationToken ct)
    {
        var counts = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < Env.Endpoints.AppPorts.Length; i++)
        {
            string text;
            try
            {
                text = await _http.GetStringAsync(new Uri($"{Env.AppUrl(i)}/metrics"), ct);
            }
            catch (HttpRequestException)
            {
                continue; // A process between a kill and its restart: its counts are gone with it anyway.
            }
            foreach (var line in text.Split('\n'))
            {
                if (!line.StartsWith(metric + "{", StringComparison.Ordinal)) continue;
                var labels = line[(metric.Length + 1)..line.IndexOf('}', StringComparison.Ordinal)].Replace("\"", "", StringComparison.Ordinal);
                var value = (long)double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
                counts[labels] = counts.GetValueOrDefault(labels) + value;
            }
        }
        return counts;
    }

    /// <summary>Peak resident memory of each child so far, in MiB (Linux /proc; a restarted child reports its current
    /// process only).</summary>
    public Dictionary<string, double> PeakRssMiB()
    {
        var result = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var child in Env.Children)
        {
            if (child.ProcessId is not { } pid) continue;
            var status = $"/proc/{pid}/status";
            if (!File.Exists(status)) continue;
            var line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            if (line is null) continue;
            var kb = double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            result[child.Name] = Math.Round(kb / 1024, 1);
        }
        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        Kube.Dispose();
        await Env.DisposeAsync();
        try
        {
            Directory.Delete(StateDir, recursive: true);
        }
        catch (IOException)
        {
            // A child may still be flushing a log; the temp folder is not worth failing for.
        }
    }
}
