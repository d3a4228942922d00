using Azure;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Metrics;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Queues;

/// <summary>Samples the approximate length of every trigger queue and its poison queue for <c>/metrics</c>.</summary>
public sealed class QueueDepthSampler(
    FunctionCatalog catalog, StorageAccount storage, FunctionMetrics metrics, IOptions<FunctionAppOptions> app,
    ILogger<QueueDepthSampler> log) : BackgroundService
{
    /// <summary>Samples every queue once now.</summary>
    public async Task SampleAsync(CancellationToken ct)
    {
        var names = catalog.Queues.Select(q => q.QueueName).Distinct(StringComparer.Ordinal)
            .SelectMany(q => new[] { q, QueueListener.PoisonQueueName(q) });
        foreach (var name in names)
        {
            try
            {
                var properties = await storage.RawQueue(name).GetPropertiesAsync(ct);
                metrics.QueueDepthSampled(name, properties.Value.ApproximateMessagesCount);
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                metrics.QueueDepthSampled(name, 0);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!storage.IsConfigured || !catalog.Queues.Any()) return;
        using var timer = new PeriodicTimer(app.Value.QueueDepthInterval);
        do
        {
            try
            {
                await SampleAsync(stoppingToken);
            }
            catch (RequestFailedException e)
            {
                log.LogWarning(e, "Sampling queue depths failed ({Status})", e.Status);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
