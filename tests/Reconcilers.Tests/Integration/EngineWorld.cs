using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Durable;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.Kinds;
using ServerlessCapi.Reconcilers.Routing;
using ServerlessCapi.Reconcilers.Workload;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>The core reconcilers running for real: the durable engine's worker on Azurite (registered with
/// <see cref="ReconcilerRegistration.AddCoreReconcilers"/>), and a dispatcher that turns the namespace's object
/// changes into signals with <see cref="WakeRules"/> (standing in for the watch relay and the queue trigger).</summary>
public sealed class EngineWorld : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private static readonly string[] WatchedKinds =
        ["Cluster", "Machine", "MachineSet", "MachineDeployment", "KubeadmControlPlane", "KubeadmConfig", "DevCluster", "DevMachine"];

    private readonly ServiceProvider _services;
    private readonly Harness _h;
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, (string ResourceVersion, JsonObject Obj)> _seen = new(StringComparer.Ordinal);
    private readonly List<string> _errors = [];
    private Task? _dispatcher;

    private EngineWorld(ServiceProvider services, Harness h)
    {
        _services = services;
        _h = h;
    }

    public IWorkflowClient Client => _services.GetRequiredService<IWorkflowClient>();
    public AdminApi Admin => _services.GetRequiredService<AdminApi>();

    public IReadOnlyList<string> Errors
    {
        get
        {
            lock (_errors) return [.. _errors];
        }
    }

    public static async Task<EngineWorld> StartAsync(Harness h)
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            if (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("SCAPI_TEST_LOG"), out var level))
                b.AddSimpleConsole(c => c.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(level);
        });
        services.AddSingleton(h.Kube);
        services.AddSingleton(h.Workloads);
        services.AddDurableWorkflows(o =>
        {
            o.ConnectionString = cs;
            o.HubName = TestNames.Unique("core");
            o.PartitionCount = 2;
            o.VisibilityTimeout = TimeSpan.FromSeconds(5);
            o.MaxPollingInterval = TimeSpan.FromMilliseconds(200);
            o.SweepInterval = TimeSpan.FromSeconds(1);
            o.SweepGrace = TimeSpan.FromSeconds(2);
            o.LeaseDuration = TimeSpan.FromSeconds(15);
            o.RetryInitialDelay = TimeSpan.FromMilliseconds(200);
            o.WorkerId = TestNames.Unique("w");
        }).AddCoreReconcilers();
        var sp = services.BuildServiceProvider();
        foreach (var hosted in sp.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        var world = new EngineWorld(sp, h);
        world._dispatcher = Task.Run(() => world.DispatchLoopAsync(world._stop.Token));
        return world;
    }

    /// <summary>The instance ids of every workflow this world has signalled.</summary>
    public HashSet<string> Signalled { get; } = new(StringComparer.Ordinal);

    private async Task DispatchLoopAsync(CancellationToken ct)
    {
        var registered = new HashSet<string>(["Cluster", "Machine"], StringComparer.Ordinal);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var current = new Dictionary<string, (string Kind, string ResourceVersion, JsonObject Obj)>(StringComparer.Ordinal);
                foreach (var kind in WatchedKinds)
                {
                    var info = CapiKinds.All.First(k => k.Kind == kind);
                    foreach (var item in await _h.Kube.ListJsonAsync(CapiResources.For(info.Group, info.Kind), _h.Namespace, null, ct))
                        current[ExternalObjects.Text(item, "metadata", "uid")!] = (kind, ExternalObjects.Text(item, "metadata", "resourceVersion")!, item);
                }
                var changes = current.Where(c => !_seen.TryGetValue(c.Key, out var s) || s.ResourceVersion != c.Value.ResourceVersion)
                    .Select(c => (Uid: c.Key, Version: c.Value.ResourceVersion, c.Value.Obj, Gone: false))
                    .Concat(_seen.Where(s => !current.ContainsKey(s.Key)).Select(s => (Uid: s.Key, Version: "gone", s.Value.Obj, Gone: true)))
                    .ToList();
                foreach (var change in changes)
                {
                    var keys = await WakeRules.ResolveAsync(WakeRules.For(change.Obj), (kind, _, name, _) =>
                        Task.FromResult(current.Where(c => c.Value.Kind == kind && ExternalObjects.Text(c.Value.Obj, "metadata", "name") == name)
                            .Select(c => (string?)c.Key).FirstOrDefault()), ct);
                    foreach (var key in keys.Where(k => registered.Contains(k.Kind)))
                    {
                        var self = key.Uid == change.Uid;
                        await Client.RaiseEventAsync(key.InstanceId, ObjectKey.ChangedSignal, key.ToJson(), $"{change.Uid}@{change.Version}>{key.InstanceId}",
                            self && change.Gone ? null : key.Kind, ct);
                        lock (Signalled) Signalled.Add(key.InstanceId);
                    }
                }
                _seen.Clear();
                foreach (var (uid, c) in current) _seen[uid] = (c.ResourceVersion, c.Obj);
                await Task.Delay(Tick, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                lock (_errors) _errors.Add($"{e.GetType().Name}: {e.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_dispatcher is not null) await _dispatcher;
        foreach (var hosted in _services.GetServices<IHostedService>()) await hosted.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        _stop.Dispose();
    }
}
