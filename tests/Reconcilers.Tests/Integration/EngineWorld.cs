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
using ServerlessCapi.Reconcilers.Tests.Support;
using ServerlessCapi.Reconcilers.Workload;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>The core reconcilers running for real: the durable engine's worker on Azurite (registered with
/// <see cref="ReconcilerRegistration.AddCoreReconcilers"/>), and a <see cref="ChangeFeed"/> that turns the namespace's object
/// changes into signals with the product's routes (standing in for the watch relay and the queue trigger).</summary>
public sealed class EngineWorld : IAsyncDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);

    private readonly ServiceProvider _services;
    private readonly Harness _h;
    private readonly CancellationTokenSource _stop = new();
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
        var feed = new ChangeFeed(_h.Kube, _h.Namespace, new HashSet<string>([Api.Cluster.KubeKind, Api.Machine.KubeKind], StringComparer.Ordinal));
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var wake in await feed.PassAsync(ct))
                {
                    await Client.RaiseEventAsync(wake.Key.InstanceId, ObjectKey.ChangedSignal, wake.Key.ToJson(), $"{wake.Cause}>{wake.Key.InstanceId}",
                        wake.Start ? wake.Key.Kind : null, ct);
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
        foreach (var hosted in _services.GetServices<IHostedService>()) await hosted.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        _stop.Dispose();
    }
}
