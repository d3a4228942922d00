using Azure;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Kube.Relay;

namespace ServerlessCapi.Functions.Timers;

/// <summary>Runs one timer function on its schedule while this instance holds the timer's lease.</summary>
/// <remarks>
/// Each occurrence is claimed in the status record (ETag-fenced) before it runs and recorded after, so an
/// occurrence runs at most once across instances even while the lease changes hands, and one missed while no
/// instance ran (or interrupted by a crash) is caught up by exactly one past-due run, not one per missed slot.
/// </remarks>
public sealed class TimerRunner
{
    private readonly TimerFunctionDescriptor _function;
    private readonly CronSchedule _schedule;
    private readonly TimerStatusStore _store;
    private readonly BlobLease _lease;
    private readonly FunctionAppOptions _options;
    private readonly FunctionExecutor _executor;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private bool _ranOnStartup;

    internal TimerRunner(
        TimerFunctionDescriptor function, StorageAccount storage, FunctionAppOptions options, FunctionExecutor executor,
        TimeProvider time, ILogger log)
    {
        _function = function;
        _schedule = CronSchedule.Parse(function.Schedule);
        var container = storage.Container(options.TimersContainer);
        _store = new TimerStatusStore(container);
        _lease = new BlobLease(container, TimerStatusStore.LockBlobName(function.Name), options.TimerLease);
        _options = options;
        _executor = executor;
        _time = time;
        _log = log;
    }

    public string FunctionName => _function.Name;

    /// <summary>True while this instance holds the timer's lease.</summary>
    public bool IsLeader { get; private set; }

    public async Task RunAsync(CancellationToken stopping)
    {
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                if (await _lease.TryAcquireAsync(stopping))
                    await LeadAsync(stopping);
                else
                    await Task.Delay(_options.TimerLeaseRetry, _time, stopping);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                break;
            }
            catch (RequestFailedException e)
            {
                _log.LogWarning(e, "Timer {Function}: storage request failed ({Status}); retrying", _function.Name, e.Status);
                await Task.Delay(_options.TimerLeaseRetry, _time, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task LeadAsync(CancellationToken stopping)
    {
        using var leadership = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var renewal = KeepLeaseAsync(leadership);
        IsLeader = true;
        _log.LogInformation("Timer {Function} is active on this instance ({Schedule})", _function.Name, _schedule);
        try
        {
            await CatchUpAsync(leadership.Token, stopping);
            while (!leadership.IsCancellationRequested)
            {
                var next = _schedule.Next(_time.GetUtcNow());
                await DelayUntilAsync(next, leadership.Token);
                await RunOccurrenceAsync(next, isPastDue: false, stopping);
            }
        }
        catch (OperationCanceledException) when (leadership.IsCancellationRequested)
        {
            // Lease lost or shutting down.
        }
        finally
        {
            IsLeader = false;
            await leadership.CancelAsync();
            await renewal;
            await _lease.ReleaseAsync();
        }
    }

    private async Task CatchUpAsync(CancellationToken leadership, CancellationToken stopping)
    {
        var (status, _) = await _store.ReadAsync(_function.Name, leadership);
        var now = _time.GetUtcNow();
        if (status is null)
        {
            await _store.TryWriteAsync(_function.Name, new TimerStatus(null, _schedule.Next(now), now), expected: null, leadership);
        }
        else if (status.Running is { } interrupted)
        {
            await RunOccurrenceAsync(interrupted, isPastDue: true, stopping);
            return;
        }
        else if (status.Next < now)
        {
            await RunOccurrenceAsync(status.Next, isPastDue: true, stopping);
            return;
        }

        if (_function.RunOnStartup && !_ranOnStartup)
        {
            _ranOnStartup = true;
            await RunOccurrenceAsync(now, isPastDue: false, stopping);
        }
    }

    private async Task RunOccurrenceAsync(DateTimeOffset occurrence, bool isPastDue, CancellationToken stopping)
    {
        var (status, etag) = await _store.ReadAsync(_function.Name, stopping);
        if (status?.Last >= occurrence && status.Running is null)
        {
            _log.LogDebug("Timer {Function}: occurrence {Occurrence} already ran", _function.Name, occurrence);
            return;
        }

        var now = _time.GetUtcNow();
        var claim = new TimerStatus(status?.Last, status?.Next ?? occurrence, now, Running: occurrence);
        var claimed = await _store.TryWriteAsync(_function.Name, claim, etag, stopping);
        if (claimed is null)
        {
            _log.LogInformation("Timer {Function}: occurrence {Occurrence} was taken by another instance", _function.Name, occurrence);
            return;
        }

        var info = new TimerInfo(new TimerScheduleStatus(status?.Last ?? DateTimeOffset.MinValue, _schedule.Next(now), now), isPastDue);
        try
        {
            await _executor.ExecuteAsync(_function, sp => _function.Invoke(sp, info, stopping), stopping);
        }
        catch (Exception) when (!stopping.IsCancellationRequested)
        {
            // Logged by the executor; like Azure Functions, a failed timer run is not retried.
        }

        var done = _time.GetUtcNow();
        var record = new TimerStatus(occurrence, _schedule.Next(done), done);
        if (await _store.TryWriteAsync(_function.Name, record, claimed, CancellationToken.None) is null)
            _log.LogWarning("Timer {Function}: the record of occurrence {Occurrence} changed while it ran", _function.Name, occurrence);
    }

    private async Task KeepLeaseAsync(CancellationTokenSource leadership)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_lease.Duration / 3, _time, leadership.Token);
                if (!await _lease.TryRenewAsync(leadership.Token))
                {
                    _log.LogWarning("Timer {Function}: lease lost", _function.Name);
                    await leadership.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Leadership ended.
        }
        catch (RequestFailedException e)
        {
            _log.LogWarning(e, "Timer {Function}: renewing the lease failed ({Status})", _function.Name, e.Status);
            await leadership.CancelAsync();
        }
    }

    private async Task DelayUntilAsync(DateTimeOffset due, CancellationToken ct)
    {
        // Task.Delay caps near 49 days; long schedules sleep in steps.
        while (due - _time.GetUtcNow() is var left && left > TimeSpan.Zero)
            await Task.Delay(left < TimeSpan.FromDays(1) ? left : TimeSpan.FromDays(1), _time, ct);
    }
}
