using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.Kinds;
using ServerlessCapi.Reconcilers.Tests.Support;
using ServerlessCapi.Reconcilers.Workload;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>The core reconcilers running for real: a durable host's worker on Azurite (registered with
/// <see cref="ReconcilerRegistration.AddCoreReconcilers"/>), and a <see cref="ChangeFeed"/> that turns the namespace's object
/// changes into signals with the product's routes (standing in for the watch relay and the queue trigger).</summary>
public sealed class EngineWorld : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly ServiceProvider _services;
    private readonly DurableHost _host;
    private readonly Harness _h;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _errors = [];
    private Task? _dispatcher;

    private EngineWorld(ServiceProvider services, DurableHost host, Harness h)
    {
        _services = services;
        _host = host;
        _h = h;
    }

    public ObjectWorkflowClient Client => _host.Client;
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
        services.AddCoreReconcilers();
        DurableHost? host = null;
        // The admin API reads the task hub through the host's client, which exists once the host does.
        services.AddSingleton(_ => host!.Client);
        var sp = services.BuildServiceProvider();
        host = new DurableHost(new DurableHostOptions
        {
            ConnectionString = cs,
            TaskHubName = TestNames.Unique("core"),
            PartitionCount = 2,
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(5),
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(200),
            Backoff = new RetryBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(5)),
            WorkerId = TestNames.Unique("w"),
            LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
        }, sp.GetRequiredService<IObjectReconcile>());
        await host.StartAsync();
        var world = new EngineWorld(sp, host, h);
        world._dispatcher = Task.Run(() => world.DispatchLoopAsync(world._stop.Token));
        return world;
    }

    /// <summary>The instance ids of every workflow this world has signalled.</summary>
    public HashSet<string> Signalled { get; } = new(StringComparer.Ordinal);

    private async Task DispatchLoopAsync(CancellationToken ct)
    {
        var feed = new ChangeFeed(_h.Kube, _h.Namespace, new HashSet<string>([Api.Cluster.KubeKind, Api.Machine.KubeKind], StringComparer.Ordinal));
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var wake in await feed.PassAsync(ct))
                {
                    await Client.SignalChangedAsync(ReconcileStep.ToDurable(wake.Key));
                    lock (Signalled) Signalled.Add(wake.Key.InstanceId);
                }
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
        await _host.DisposeAsync();
        await _services.DisposeAsync();
        _stop.Dispose();
    }
}
