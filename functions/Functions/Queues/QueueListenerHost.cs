using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Queues;

/// <summary>Runs one <see cref="QueueListener"/> per queue-triggered function (standalone mode).</summary>
public sealed class QueueListenerHost : BackgroundService
{
    public QueueListenerHost(
        FunctionCatalog catalog, StorageAccount storage, IOptions<QueuesOptions> queues, IOptions<FunctionAppOptions> app,
        FunctionExecutor executor, ILoggerFactory logs)
    {
        queues.Value.Validate();
        Listeners = catalog.Queues
            .Select(f => new QueueListener(f, storage, queues.Value, app.Value, executor,
                logs.CreateLogger($"ServerlessCapi.Functions.Queues.{f.Name}")))
            .ToList();
    }

    public IReadOnlyList<QueueListener> Listeners { get; }

    /// <summary>True once every listener polls.</summary>
    public bool AllStarted => Listeners.All(l => l.Started);

    public QueueListener Listener(string functionName) =>
        Listeners.Single(l => string.Equals(l.FunctionName, functionName, StringComparison.OrdinalIgnoreCase));

    public override void Dispose()
    {
        foreach (var listener in Listeners) listener.Dispose();
        base.Dispose();
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Listeners.Select(l => Task.Run(() => l.RunAsync(stoppingToken), CancellationToken.None)));
}
