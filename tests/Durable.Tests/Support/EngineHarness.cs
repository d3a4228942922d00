using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable.Storage;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Durable.Tests.Support;

/// <summary>The engine on the shared Azurite, wired through DI as an app would, with test-friendly timings.</summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly bool _workerStarted;

    private EngineHarness(ServiceProvider services, bool workerStarted)
    {
        _services = services;
        _workerStarted = workerStarted;
    }

    public IWorkflowClient Client => _services.GetRequiredService<IWorkflowClient>();
    public WorkflowWorker Worker => _services.GetRequiredService<WorkflowWorker>();
    public DurableWorkflowOptions Options => _services.GetRequiredService<DurableWorkflowOptions>();
    internal StorageBackend Backend => _services.GetRequiredService<StorageBackend>();
    public IServiceProvider Services => _services;

    /// <summary>A fresh hub name (isolates a test on the shared emulator).</summary>
    public static string NewHub() => TestNames.Unique("h");

    public static async Task<EngineHarness> StartAsync(
        string hub, IEnumerable<IWorkflow> workflows, Action<DurableWorkflowOptions>? configure = null, bool startWorker = true,
        string? workerId = null)
    {
        var cs = await SharedAzurite.ConnectionStringAsync();
        var services = new ServiceCollection();
        services.AddLogging(b =>
        {
            // SCAPI_TEST_LOG=Debug shows the engine's log on the console when a test needs explaining.
            if (Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable("SCAPI_TEST_LOG"), out var level))
                b.AddSimpleConsole(c => c.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(level);
        });
        var builder = services.AddDurableWorkflows(o =>
        {
            o.ConnectionString = cs;
            o.HubName = hub;
            o.PartitionCount = 2;
            o.VisibilityTimeout = TimeSpan.FromSeconds(5);
            o.MaxPollingInterval = TimeSpan.FromMilliseconds(250);
            o.SweepInterval = TimeSpan.FromSeconds(1);
            o.SweepGrace = TimeSpan.FromSeconds(2);
            o.LeaseDuration = TimeSpan.FromSeconds(15);
            o.RetryInitialDelay = TimeSpan.FromMilliseconds(200);
            o.WorkerId = workerId ?? TestNames.Unique("w");
            o.EnableWorker = startWorker;
            configure?.Invoke(o);
        });
        foreach (var w in workflows) builder.AddWorkflow(w);
        var sp = services.BuildServiceProvider();
        await sp.GetRequiredService<StorageBackend>().EnsureCreatedAsync(CancellationToken.None);
        if (startWorker)
        {
            foreach (var hosted in sp.GetServices<IHostedService>()) await hosted.StartAsync(CancellationToken.None);
        }
        return new EngineHarness(sp, startWorker);
    }

    public async Task<InstanceStatus> WaitForStatusAsync(string instanceId, RuntimeStatus status, TimeSpan? timeout = null)
    {
        InstanceStatus? last = null;
        await WaitFor.ConditionAsync(async () => (last = await Client.GetStatusAsync(instanceId))?.RuntimeStatus == status,
            timeout ?? TimeSpan.FromSeconds(30), $"{instanceId} to be {status} (last: {last?.RuntimeStatus}, error: {last?.LastError})");
        return last!;
    }

    public async Task<T> StateAsync<T>(string instanceId) =>
        System.Text.Json.JsonSerializer.Deserialize<T>((await Client.GetStatusAsync(instanceId))!.State!, Options.JsonSerializerOptions)!;

    public async ValueTask DisposeAsync()
    {
        if (_workerStarted)
        {
            foreach (var hosted in _services.GetServices<IHostedService>()) await hosted.StopAsync(CancellationToken.None);
        }
        await _services.DisposeAsync();
    }
}
