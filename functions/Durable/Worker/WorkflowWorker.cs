using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable.Storage;
using ServerlessCapi.Durable.Worker;

namespace ServerlessCapi.Durable;

/// <summary>Processes instance messages in this process: owns a fair share of the control-queue partitions (blob
/// leases), polls each owned queue, and runs the sweeper when it holds the sweeper lease.</summary>
public sealed class WorkflowWorker : BackgroundService
{
    private readonly StorageBackend _backend;
    private readonly ILogger<WorkflowWorker> _logger;
    private readonly PartitionLeaseManager _leases;
    private readonly Sweeper _sweeper;
    private readonly SemaphoreSlim _stepSlots;
    private readonly Dictionary<int, (CancellationTokenSource Stop, Task Run)> _pollers = [];

    internal WorkflowWorker(StorageBackend backend, ILoggerFactory loggers)
    {
        _backend = backend;
        _logger = loggers.CreateLogger<WorkflowWorker>();
        _leases = new PartitionLeaseManager(backend, loggers.CreateLogger<PartitionLeaseManager>());
        _sweeper = new Sweeper(backend, _leases.LeaseId, loggers.CreateLogger<Sweeper>());
        _stepSlots = new SemaphoreSlim(backend.Options.MaxConcurrentSteps);
    }

    /// <summary>The partitions this worker polls right now.</summary>
    public IReadOnlyCollection<int> OwnedPartitions => _leases.Owned;

    /// <summary>Runs one sweep now (tests and admin tooling); returns how many messages it sent.</summary>
    public Task<int> SweepOnceAsync(CancellationToken ct = default) => _sweeper.SweepAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _backend.Options;
        if (!options.EnableWorker) return;
        await _backend.EnsureCreatedAsync(stoppingToken);
        _logger.LogInformation("Workflow worker {WorkerId} started on hub {Hub} ({Partitions} partitions)",
            options.WorkerId, options.HubName, options.PartitionCount);
        var sweeping = SweepLoopAsync(stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await _leases.BalanceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    _logger.LogWarning(ex, "Partition balancing failed on {WorkerId}", options.WorkerId);
                }
                await SyncPollersAsync(stoppingToken);
                await Task.Delay(_leases.RenewInterval, options.TimeProvider, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        finally
        {
            foreach (var (stop, _) in _pollers.Values) await stop.CancelAsync();
            await Task.WhenAll(_pollers.Values.Select(p => p.Run));
            await sweeping;
            using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _leases.ReleaseAllAsync(release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            _logger.LogInformation("Workflow worker {WorkerId} stopped", options.WorkerId);
        }
    }

    private async Task SyncPollersAsync(CancellationToken ct)
    {
        var owned = _leases.Owned;
        foreach (var p in _pollers.Keys.Except(owned).ToList())
        {
            var (stop, run) = _pollers[p];
            _pollers.Remove(p);
            await stop.CancelAsync();
            await run;
            stop.Dispose();
        }
        foreach (var p in owned.Except(_pollers.Keys))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var poller = new PartitionPoller(_backend, p, _stepSlots, _logger);
            _pollers[p] = (stop, Task.Run(() => poller.RunAsync(stop.Token), CancellationToken.None));
        }
    }

    private async Task SweepLoopAsync(CancellationToken ct)
    {
        var options = _backend.Options;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(options.SweepInterval, options.TimeProvider, ct);
                if (await _sweeper.TryHoldLeaseAsync(ct)) await _sweeper.SweepAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Sweep failed on {WorkerId}", options.WorkerId);
            }
        }
    }

    public override void Dispose()
    {
        _stepSlots.Dispose();
        base.Dispose();
    }
}
