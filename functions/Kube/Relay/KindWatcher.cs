using System.Net;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Kube.Relay;

/// <summary>Relays one kind: list once, then watch from the checkpointed resourceVersion with bookmarks;
/// on 410 Gone relist and emit what changed, including deletions the watch missed.</summary>
/// <remarks>Events go out before the checkpoint moves (at least once); event ids are stable per object
/// version, so a replay after a crash is recognisable downstream.</remarks>
internal sealed class KindWatcher : IDisposable
{
    private readonly RelayKind _kind;
    private readonly IKubernetes _client;
    private readonly RelayCheckpointStore _store;
    private readonly IEventSink _sink;
    private readonly RelayOptions _options;
    private readonly RelayMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ChangeCoalescer _coalescer;
    private readonly SemaphoreSlim _flushing = new(1, 1);
    private KindCheckpoint _known = new();

    /// <summary>The last relayed version of each object as digests, to tell what its next change touched. Empty after
    /// a start or a relist: a first sighting says it touched everything.</summary>
    private readonly Dictionary<string, ObjectFingerprint> _fingerprints = new(StringComparer.Ordinal);

    public KindWatcher(RelayKind kind, IKubernetes client, RelayCheckpointStore store, IEventSink sink, RelayOptions options,
        RelayMetrics metrics, TimeProvider time, ILogger log)
    {
        _kind = kind;
        _client = client;
        _store = store;
        _sink = sink;
        _options = options;
        _metrics = metrics;
        _time = time;
        _log = log;
        _coalescer = new ChangeCoalescer(options.CoalesceWindow, time);
    }

    /// <summary>Relays until <paramref name="ct"/> fires or, when given, <paramref name="budget"/> has passed;
    /// checkpoints before returning.</summary>
    public async Task RunAsync(TimeSpan? budget, CancellationToken ct)
    {
        var deadline = budget is { } b ? _time.GetUtcNow() + b : (DateTimeOffset?)null;
        _known = await _store.LoadAsync(_kind, ct);
        using var stopFlusher = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var flusher = FlushPeriodicallyAsync(stopFlusher.Token);
        var failures = 0;
        try
        {
            if (_known.ResourceVersion is null) await RelistAsync(ct);
            while (!ct.IsCancellationRequested && (deadline is null || _time.GetUtcNow() < deadline))
            {
                var left = deadline is { } d ? d - _time.GetUtcNow() : _options.WatchTimeout;
                var timeout = TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(Math.Min(left.TotalSeconds, _options.WatchTimeout.TotalSeconds))));
                try
                {
                    await WatchOnceAsync(timeout, ct);
                    failures = 0;
                }
                catch (WatchExpiredException)
                {
                    _log.LogInformation("Relay {Kind}: resourceVersion {ResourceVersion} expired; relisting", _kind, _known.ResourceVersion);
                    await FlushAsync(CancellationToken.None);
                    await RelistAsync(ct);
                }
                catch (Exception e) when (e is HttpRequestException or HttpOperationException or IOException or KubernetesException or JsonException
                                              or Azure.RequestFailedException
                                              && !ct.IsCancellationRequested)
                {
                    failures++;
                    _metrics.WatchFailed(_kind.Kind);
                    _log.LogWarning(e, "Relay {Kind}: watch failed ({Failures} in a row); retrying", _kind, failures);
                    await Task.Delay(TimeSpan.FromSeconds(Math.Min(30, Math.Pow(2, Math.Min(failures, 5)) / 2)), _time, ct);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Stopping: checkpoint below.
        }
        finally
        {
            await stopFlusher.CancelAsync();
            await flusher;
            await FlushAsync(CancellationToken.None);
        }
    }

    private async Task WatchOnceAsync(TimeSpan timeout, CancellationToken ct)
    {
        Exception? error = null;
        var events = _client.CustomObjects.WatchListClusterCustomObjectAsync(
            _kind.Group, _kind.Version, _kind.Plural,
            allowWatchBookmarks: true,
            resourceVersion: _known.ResourceVersion,
            timeoutSeconds: (int)timeout.TotalSeconds,
            onError: e => error ??= e,
            cancellationToken: ct);
        try
        {
            await foreach (var (type, value) in events)
            {
                var obj = WatchedObject.From(value);
                var rv = obj.Metadata?.ResourceVersion;
                switch (type)
                {
                    case WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted:
                        _coalescer.Add(obj.ToEventData(_kind, deleted: type == WatchEventType.Deleted, Changed(obj, type)), rv);
                        break;
                    case WatchEventType.Bookmark:
                        _coalescer.Bookmark(rv);
                        break;
                }
                if (IsGone(error)) throw new WatchExpiredException();
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.Gone)
        {
            throw new WatchExpiredException();
        }
        if (IsGone(error)) throw new WatchExpiredException();
        if (error is not null) throw error;
    }

    /// <summary>What this version touched since the last relayed one; null (everything) when unknown.</summary>
    private IReadOnlyList<string>? Changed(WatchedObject obj, WatchEventType type)
    {
        if (obj.Metadata?.Uid is not { Length: > 0 } uid) return null;
        if (type == WatchEventType.Deleted)
        {
            _fingerprints.Remove(uid);
            return null;
        }
        var now = obj.Fingerprint(_options.Aspects);
        var changed = _fingerprints.TryGetValue(uid, out var previous) ? now.ChangedSince(previous) : null;
        _fingerprints[uid] = now;
        return changed;
    }

    private static bool IsGone(Exception? error) => error is KubernetesException { Status.Code: 410 };

    /// <summary>Lists everything and emits each object whose version differs from the last relayed one,
    /// plus a deletion for each relayed object that no longer exists.</summary>
    private async Task RelistAsync(CancellationToken ct)
    {
        _metrics.Relisted(_kind.Kind);
        _fingerprints.Clear();
        var (objects, listVersion) = await ObjectLister.ListAsync(_client, _kind, ct);
        var seen = objects.ToDictionary(o => o.Uid, StringComparer.Ordinal);

        var changes = seen.Values
            .Where(o => !_known.Objects.TryGetValue(o.Uid, out var k) || k.ResourceVersion != o.ResourceVersion)
            .ToList();
        changes.AddRange(_known.Objects.Where(k => !seen.ContainsKey(k.Key)).Select(k => new ObjectEventData
        {
            ApiVersion = _kind.ApiVersion,
            Kind = _kind.Kind,
            Namespace = k.Value.Namespace,
            Name = k.Value.Name,
            Uid = k.Key,
            ResourceVersion = k.Value.ResourceVersion,
            Deleting = true,
            Deleted = true,
        }));
        await EmitAndCheckpointAsync(changes, listVersion ?? _known.ResourceVersion, ct);
    }

    private async Task FlushPeriodicallyAsync(CancellationToken ct)
    {
        var tick = _options.CoalesceWindow / 2 > TimeSpan.FromMilliseconds(20) ? _options.CoalesceWindow / 2 : TimeSpan.FromMilliseconds(20);
        try
        {
            while (true)
            {
                await Task.Delay(tick, _time, ct);
                if (!_coalescer.IsDue) continue;
                try
                {
                    await FlushAsync(ct);
                }
                catch (Exception e) when (e is Azure.RequestFailedException or HttpRequestException)
                {
                    // FlushAsync put the changes back; the next tick tries again.
                    _log.LogWarning(e, "Relay {Kind}: sending events failed; retrying", _kind);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopping; the caller flushes once more.
        }
    }

    private async Task FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            var (changes, rv) = _coalescer.Drain();
            if (changes.Count == 0 && rv is null) return;
            try
            {
                await EmitAndCheckpointUnlockedAsync(changes, rv, ct);
            }
            catch
            {
                // Not checkpointed: keep them so the checkpoint never passes an unsent change.
                _coalescer.Restore(changes, rv);
                throw;
            }
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task EmitAndCheckpointAsync(IReadOnlyList<ObjectEventData> changes, string? rv, CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            await EmitAndCheckpointUnlockedAsync(changes, rv, ct);
        }
        finally
        {
            _flushing.Release();
        }
    }

    private async Task EmitAndCheckpointUnlockedAsync(IReadOnlyList<ObjectEventData> changes, string? rv, CancellationToken ct)
    {
        if (changes.Count > 0)
        {
            var now = _time.GetUtcNow();
            var events = changes.Select(c => ObjectEvents.Create(_options.ClusterName, _kind.Plural, c, now)).ToList();
            var spans = PublishSpans.Start(events, changes, _options.Queue);
            try
            {
                await _sink.SendAsync(events, ct);
            }
            catch (Exception e)
            {
                PublishSpans.End(spans, e);
                throw;
            }
            PublishSpans.End(spans, null);
            _metrics.Relayed(_kind.Kind, changes.Count);
        }
        await _store.SaveAsync(_kind, _known,
            changes.Select(c => (c.Uid, c.Deleted ? null : new KnownObject(c.Namespace, c.Name, c.ResourceVersion))), rv, ct);
    }

    public void Dispose() => _flushing.Dispose();

    private sealed class WatchExpiredException : Exception;
}
