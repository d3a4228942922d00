using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>Brings Nodes in line when they are due, whether or not anybody polls the VM.</summary>
public sealed class NodeLoop(InMemoryCloud cloud, SettleQueue queue, InMemoryCloudOptions options, ILogger<NodeLoop> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryAfterError = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ResumeAsync(stoppingToken);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.NodeParallelism), CancellationToken = stoppingToken };
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = cloud.Now;
            var (due, next) = queue.TakeDue(now, max: 256);
            if (due.Count > 0)
            {
                await Parallel.ForEachAsync(due, parallel, async (id, ct) => await SettleOneAsync(id, ct));
                continue;
            }
            var wait = next is { } at ? at - now : options.NodeLoopTick;
            if (wait > options.NodeLoopTick) wait = options.NodeLoopTick;
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            try
            {
                await queue.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ResumeAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await cloud.ResumeAsync(ct);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Could not list unsettled VMs; retrying");
                await Task.Delay(RetryAfterError, ct);
            }
        }
    }

    private async Task SettleOneAsync(string id, CancellationToken ct)
    {
        try
        {
            if (await cloud.SettleAsync(id, ct) is { } next) queue.Schedule(id, next);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "Could not settle the Node of VM {Id}; retrying", id);
            queue.Schedule(id, cloud.Now + RetryAfterError);
        }
    }
}
