using Azure.Data.Tables;
using Azure.Storage.Blobs;
using k8s;
using Microsoft.Extensions.Logging;

namespace ServerlessCapi.Kube.Relay;

/// <summary>Turns management-cluster object changes into CloudEvents on the <c>capi-events</c> queue.</summary>
/// <remarks>
/// Exactly one relay is active per management cluster: it holds a blob lease, renewed at a third of its
/// length. Standbys retry every <see cref="RelayOptions.StandbyRetry"/>, so a crashed relay is replaced
/// within one lease period plus that. Losing the lease stops the watchers at once; checkpoints are
/// per kind, so the next holder resumes where the last one checkpointed.
/// </remarks>
public sealed class WatchRelay
{
    private readonly IKubernetes _client;
    private readonly RelayOptions _options;
    private readonly RelayCheckpointStore _store;
    private readonly IEventSink _sink;
    private readonly BlobLease _lease;
    private readonly RelayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;

    public WatchRelay(IKubernetes client, RelayOptions options, TableClient checkpoints, BlobContainerClient leases, IEventSink sink,
        RelayMetrics metrics, TimeProvider time, ILoggerFactory logs)
    {
        _client = client;
        _options = options;
        _store = new RelayCheckpointStore(checkpoints, options.ClusterName);
        _sink = sink;
        _lease = new BlobLease(leases, $"{options.ClusterName}/relay", options.LeaseDuration);
        _metrics = metrics;
        _time = time;
        _logs = logs;
        _log = logs.CreateLogger<WatchRelay>();
    }

    /// <summary>True while this instance is the active relay.</summary>
    public bool IsActive { get; private set; }

    /// <summary>Stand by, become active when the lease is free, relay until <paramref name="ct"/> fires.</summary>
    public async Task RunContinuousAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await _lease.TryAcquireAsync(ct))
                    await RunActiveAsync(budget: null, ct);
                else
                    await Task.Delay(_options.StandbyRetry, _time, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
            {
                _log.LogWarning(e, "Relay: storage or API request failed; retrying");
                await Task.Delay(_options.StandbyRetry, _time, CancellationToken.None);
            }
        }
    }

    /// <summary>One bounded slice (for a timer): relay for at most <paramref name="budget"/> if no other
    /// instance is active, checkpoint, and return whether this instance ran.</summary>
    public async Task<bool> RunBoundedAsync(TimeSpan budget, CancellationToken ct)
    {
        if (!await _lease.TryAcquireAsync(ct)) return false;
        await RunActiveAsync(budget, ct);
        return true;
    }

    private async Task RunActiveAsync(TimeSpan? budget, CancellationToken ct)
    {
        using var active = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var renewal = KeepLeaseAsync(active);
        IsActive = true;
        _metrics.Activated();
        _log.LogInformation("Relay for {Cluster} is active on this instance ({Kinds} kinds)", _options.ClusterName, _options.WatchedKinds.Count);
        try
        {
            await Task.WhenAll(_options.WatchedKinds.Select(kind => SuperviseAsync(kind, budget, active.Token)));
        }
        finally
        {
            IsActive = false;
            await active.CancelAsync();
            await renewal;
            if (_options.ReleaseLeaseOnStop) await _lease.ReleaseAsync();
        }
    }

    /// <summary>Runs one kind's watcher, restarting it after unexpected failures.</summary>
    private async Task SuperviseAsync(RelayKind kind, TimeSpan? budget, CancellationToken ct)
    {
        var deadline = budget is { } b ? _time.GetUtcNow() + b : (DateTimeOffset?)null;
        var log = _logs.CreateLogger($"ServerlessCapi.Kube.Relay.{kind.Kind}");
        while (!ct.IsCancellationRequested)
        {
            var left = deadline is { } d ? d - _time.GetUtcNow() : (TimeSpan?)null;
            if (left <= TimeSpan.Zero) return;
            try
            {
                using var watcher = new KindWatcher(kind, _client, _store, _sink, _options, _metrics, _time, log);
                await watcher.RunAsync(left, ct);
                if (deadline is not null || ct.IsCancellationRequested) return;
            }
            catch (k8s.Autorest.HttpOperationException e) when (!ct.IsCancellationRequested && e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                // The kind is not served (yet): its CRD is not installed. Not an error; it appears once installed.
                log.LogWarning("Relay {Kind}: the API server does not serve this kind (is its CRD installed?); retrying", kind);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                log.LogError(e, "Relay {Kind} failed; restarting it from its checkpoint", kind);
                await Task.Delay(TimeSpan.FromSeconds(1), _time, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task KeepLeaseAsync(CancellationTokenSource active)
    {
        try
        {
            while (true)
            {
                await Task.Delay(_lease.Duration / 3, _time, active.Token);
                if (!await _lease.TryRenewAsync(active.Token))
                {
                    _log.LogWarning("Relay for {Cluster}: lease lost; standing by", _options.ClusterName);
                    await active.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // No longer active.
        }
        catch (Azure.RequestFailedException e)
        {
            _log.LogWarning(e, "Relay for {Cluster}: renewing the lease failed; standing by", _options.ClusterName);
            await active.CancelAsync();
        }
    }
}
