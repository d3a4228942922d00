using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable.Engine;
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
    private readonly SemaphoreSlim _timerSlots;
    private readonly Dictionary<int, (CancellationTokenSource Stop, Task Run)> _pollers = [];

    internal WorkflowWorker(StorageBackend backend, ILoggerFactory loggers)
    {
        _backend = backend;
        _logger = loggers.CreateLogger<WorkflowWorker>();
        _leases = new PartitionLeaseManager(backend, loggers.CreateLogger<PartitionLeaseManager>());
        _sweeper = new Sweeper(backend, _leases.LeaseId, loggers.CreateLogger<Sweeper>());
        _stepSlots = new SemaphoreSlim(backend.Options.MaxConcurrentSteps);
        // Due timers take at most a quarter of the step slots: a fleet whose timers all come due cannot crowd out the
        // signals queued meanwhile (a timer message on a queue waited its turn the same way).
        _timerSlots = new SemaphoreSlim(Math.Max(1, backend.Options.MaxConcurrentSteps / 4));
    }

    /// <summary>The partitions this worker polls right now.</summary>
    public IReadOnlyCollection<int> OwnedPartitions => _leases.Owned;

    /// <summary>Runs one sweep now (tests and admin tooling); returns how many messages it sent.</summary>
    public Task<int> SweepOnceAsync(CancellationToken ct = default) => _sweeper.SweepAsync(ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = _backend.Options;
        if (!options.EnableWorker) return;
        // Storage may come up after the app (an emulator starting, a network blip): wait for it rather than fail the host.
        while (true)
        {
            try
            {
                await _backend.EnsureCreatedAsync(stoppingToken);
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _logger.LogWarning(ex, "Workflow storage is not reachable yet; retrying");
                await Task.Delay(options.MaxPollingInterval, options.TimeProvider, stoppingToken);
            }
        }
        _logger.LogInformation("Workflow worker {WorkerId} started on hub {Hub} ({Partitions} partitions)",
            options.WorkerId, options.HubName, options.PartitionCount);
        _backend.Local.Attach(m => RunDueTimerAsync(m, stoppingToken), ForwardAsync);
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
            _backend.Local.SetOwned([]);
            foreach (var (stop, _) in _pollers.Values) await stop.CancelAsync();
            await Task.WhenAll(_pollers.Values.Select(p => p.Run));
            // Timers kept in this process go to the queues, for whoever takes the partitions next.
            await Task.WhenAll(_backend.Local.DrainTimers().Select(m => ForwardAsync(m)));
            await sweeping;
            using var release = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _leases.ReleaseAllAsync(release.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            _logger.LogInformation("Workflow worker {WorkerId} stopped", options.WorkerId);
        }
    }

    private async Task SyncPollersAsync(CancellationToken ct)
    {
        var owned = _leases.Owned;
        _backend.Local.SetOwned(owned);
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

    /// <summary>Runs the step of a timer kept in this process, as if its queue message had arrived. A failure sends the
    /// timer to the queue, which retries it like any other message.</summary>
    private async Task RunDueTimerAsync(ControlMessage timer, CancellationToken ct)
    {
        try
        {
            await _timerSlots.WaitAsync(ct);
            try
            {
                await _stepSlots.WaitAsync(ct);
                try
                {
                    await _backend.Processor.ProcessAsync(timer.InstanceId, [timer], ct);
                    return;
                }
                finally
                {
                    _stepSlots.Release();
                }
            }
            finally
            {
                _timerSlots.Release();
            }
        }
        catch (Exception ex)
        {
            if (!ct.IsCancellationRequested) _logger.LogWarning(ex, "Timer step of {InstanceId} failed; it goes to the queue", timer.InstanceId);
        }
        await ForwardAsync(timer);
    }

    /// <summary>Puts a timer on its queue now (or with what remains of its delay); if even that fails, the sweeper
    /// finds the deadline overdue.</summary>
    private async Task ForwardAsync(ControlMessage timer)
    {
        try
        {
            var delay = timer.DueAt is { } due ? StepPlanner.TimerDelay(due, _backend.Options.TimeProvider.GetUtcNow()) : TimeSpan.Zero;
            await _backend.Sender.SendAsync(timer, delay, CancellationToken.None);
        }
        catch (Exception ex)
        {
            _logger.LogWarning(ex, "Could not queue the timer of {InstanceId}; the sweeper will fire it", timer.InstanceId);
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
        _timerSlots.Dispose();
        base.Dispose();
    }
}
