using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Events;

/// <summary>Writes events.k8s.io/v1 Events on the objects reconcilers act on, as CAPI's controllers do through
/// client-go: a repeat of the same Event counts into its <c>series</c> instead of adding an object, and every object
/// and reason has a token bucket (client-go's spam filter) so a fleet in a loop cannot flood the API server.</summary>
/// <remarks>
/// Recording is best effort: a failure is logged at debug and never reaches the reconcile, which must not depend on
/// an Event. The Event's name is deterministic (<see cref="EventKey.EventName"/>), so processes sharing the work
/// count into one series: a create that finds the name taken reads the Event and raises its count, fenced by its
/// resourceVersion. One recorder serves a process (its cache and buckets are what bound it).
/// </remarks>
public sealed class EventRecorder
{
    public const string Normal = "Normal";
    public const string Warning = "Warning";

    private const int UpdateAttempts = 3;
    private static readonly ConditionalWeakTable<KubeApi, EventRecorder> PerClient = new();

    private readonly KubeApi _kube;
    private readonly ILogger _logger;
    private readonly EventRecorderOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly LruCache<EventKey, Written> _written;
    private readonly LruCache<(string Uid, string Reason), Bucket> _buckets;
    private long _created;
    private long _seriesUpdates;
    private long _limited;
    private long _failed;

    public EventRecorder(KubeApi kube, ILogger<EventRecorder>? logger = null, EventRecorderOptions? options = null, TimeProvider? time = null)
    {
        _kube = kube;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _options = options ?? new EventRecorderOptions();
        _time = time ?? TimeProvider.System;
        _written = new LruCache<EventKey, Written>(_options.CacheSize);
        _buckets = new LruCache<(string, string), Bucket>(_options.CacheSize);
    }

    /// <summary>The recorder shared by everything using <paramref name="kube"/> in this process, for reconcilers built
    /// without one from the container (they still record, with the default options).</summary>
    public static EventRecorder For(KubeApi kube) => PerClient.GetValue(kube, k => new EventRecorder(k));

    /// <summary>Makes <paramref name="recorder"/> the one <see cref="For"/> answers for <paramref name="kube"/> (the
    /// container's, with its options and logger).</summary>
    public static void Share(KubeApi kube, EventRecorder recorder) => PerClient.AddOrUpdate(kube, recorder);

    /// <summary>What this recorder has done so far.</summary>
    public EventCounts Counts => new(Interlocked.Read(ref _created), Interlocked.Read(ref _seriesUpdates),
        Interlocked.Read(ref _limited), Interlocked.Read(ref _failed));

    /// <summary>Records one occurrence on <paramref name="regarding"/>. Never throws (cancellation included): the caller's
    /// work does not depend on it.</summary>
    /// <param name="reportingController">The controller's name, as CAPI names it (<c>machineset-controller</c>).</param>
    /// <param name="type"><see cref="Normal"/> or <see cref="Warning"/>.</param>
    /// <param name="action">What was done or failed (events.k8s.io <c>action</c>: Create, Delete, Drain, ...).</param>
    public async Task RecordAsync(IKubernetesObject<V1ObjectMeta> regarding, string reportingController, string type, string reason,
        string action, string note, CancellationToken ct)
    {
        try
        {
            var key = KeyOf(regarding, reportingController, type, reason, action, note);
            if (!TakeToken(key))
            {
                Interlocked.Increment(ref _limited);
                _logger.LogDebug("Event {Reason} on {Kind} {Namespace}/{Name} dropped by the rate limit", reason, regarding.Kind, key.Namespace, key.RegardingName);
                return;
            }
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.WriteTimeout);
            await WriteAsync(regarding, key, timeout.Token);
        }
        catch (Exception e)
        {
            // Whatever went wrong (the API server, a timeout, the caller cancelling), the reconcile goes on without it.
            Interlocked.Increment(ref _failed);
            _logger.LogDebug(e, "Event {Reason} on {Kind} {Namespace}/{Name} not recorded", reason, regarding.Kind,
                regarding.Metadata?.NamespaceProperty, regarding.Metadata?.Name);
        }
    }

    private async Task WriteAsync(IKubernetesObject<V1ObjectMeta> regarding, EventKey key, CancellationToken ct)
    {
        Written? known;
        lock (_gate) known = _written.TryGet(key, out var w) ? w : null;
        if (known is null && await TryCreateAsync(regarding, key, ct)) return;
        await AddToSeriesAsync(regarding, key, known, ct);
    }

    /// <summary>Creates the Event; false when its name is taken (another process, or an earlier life of this one,
    /// recorded it: the occurrence counts into its series).</summary>
    private async Task<bool> TryCreateAsync(IKubernetesObject<V1ObjectMeta> regarding, EventKey key, CancellationToken ct)
    {
        try
        {
            var created = await _kube.SendAsync<JsonObject>(HttpMethod.Post, CollectionPath(key.Namespace),
                NewEvent(regarding, key).ToJsonString(), "application/json", ct);
            Remember(key, new Written(1, ResourceVersionOf(created)));
            Interlocked.Increment(ref _created);
            return true;
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            return false;
        }
    }

    /// <summary>Raises the Event's series count, fenced by its resourceVersion: from what this process wrote last when it
    /// knows it, else (or after a conflict) from the Event as read.</summary>
    private async Task AddToSeriesAsync(IKubernetesObject<V1ObjectMeta> regarding, EventKey key, Written? known, CancellationToken ct)
    {
        var path = $"{CollectionPath(key.Namespace)}/{Uri.EscapeDataString(key.EventName)}";
        for (var attempt = 1; ; attempt++)
        {
            if (known?.ResourceVersion is null)
            {
                var current = await ReadAsync(path, ct);
                if (current is null)
                {
                    // Gone (expired or deleted) since: it starts over as a new Event, unless someone else just did that.
                    Forget(key);
                    if (await TryCreateAsync(regarding, key, ct) || attempt >= UpdateAttempts) return;
                    continue;
                }
                known = new Written(CountOf(current), ResourceVersionOf(current));
            }
            var count = known.Count + 1;
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = known.ResourceVersion },
                ["series"] = new JsonObject { ["count"] = count, ["lastObservedTime"] = MicroTime(_time.GetUtcNow()) },
            };
            try
            {
                var written = await _kube.SendAsync<JsonObject>(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json", ct);
                Remember(key, new Written(count, ResourceVersionOf(written)));
                Interlocked.Increment(ref _seriesUpdates);
                return;
            }
            catch (KubeApiException e) when ((e.IsConflict || e.IsNotFound) && attempt < UpdateAttempts)
            {
                known = null; // someone else counted meanwhile, or it expired: read again
            }
        }
    }

    private async Task<JsonObject?> ReadAsync(string path, CancellationToken ct)
    {
        try
        {
            return await _kube.SendAsync<JsonObject>(HttpMethod.Get, path, null, null, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private bool TakeToken(EventKey key)
    {
        var now = _time.GetUtcNow();
        lock (_gate)
        {
            var bucket = _buckets.TryGet((key.RegardingUid, key.Reason), out var b) ? b : new Bucket(_options.Burst, now);
            var refilled = Math.Min(_options.Burst, bucket.Tokens + ((now - bucket.At) / _options.RefillInterval));
            var allowed = refilled >= 1;
            _buckets.Set((key.RegardingUid, key.Reason), new Bucket(allowed ? refilled - 1 : refilled, now));
            return allowed;
        }
    }

    private void Remember(EventKey key, Written written)
    {
        lock (_gate) _written.Set(key, written);
    }

    private void Forget(EventKey key)
    {
        lock (_gate) _written.Remove(key);
    }

    private JsonObject NewEvent(IKubernetesObject<V1ObjectMeta> regarding, EventKey key)
    {
        var meta = regarding.Metadata;
        var reference = new JsonObject
        {
            ["apiVersion"] = ApiVersionOf(regarding),
            ["kind"] = KindOf(regarding),
            ["name"] = meta.Name,
            ["uid"] = meta.Uid,
        };
        if (meta.NamespaceProperty is { Length: > 0 } ns) reference["namespace"] = ns;
        if (meta.ResourceVersion is { Length: > 0 } rv) reference["resourceVersion"] = rv;
        return new JsonObject
        {
            ["apiVersion"] = "events.k8s.io/v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = key.EventName, ["namespace"] = key.Namespace },
            ["eventTime"] = MicroTime(_time.GetUtcNow()),
            ["reportingController"] = key.ReportingController,
            ["reportingInstance"] = _options.ReportingInstance,
            ["action"] = key.Action,
            ["reason"] = key.Reason,
            ["note"] = key.Note,
            ["type"] = key.Type,
            ["regarding"] = reference,
        };
    }

    internal static EventKey KeyOf(IKubernetesObject<V1ObjectMeta> regarding, string reportingController, string type, string reason, string action, string note)
    {
        var meta = regarding.Metadata;
        // events.k8s.io keeps notes to 1 kB; a longer one (an error's text) is cut rather than refused.
        if (note.Length > 1024) note = note[..1021] + "...";
        var ns = meta.NamespaceProperty is { Length: > 0 } n ? n : "default";
        return new EventKey(ns, meta.Name, meta.Uid ?? "", reportingController, action, reason, type, note);
    }

    private static string CollectionPath(string ns) => $"/apis/events.k8s.io/v1/namespaces/{Uri.EscapeDataString(ns)}/events";

    private static string ApiVersionOf(IKubernetesObject<V1ObjectMeta> o) =>
        o.ApiVersion is { Length: > 0 } v ? v : KubeResources.For(o.GetType()).ApiVersion;

    private static string KindOf(IKubernetesObject<V1ObjectMeta> o) =>
        o.Kind is { Length: > 0 } k ? k : KubeResources.For(o.GetType()).Kind;

    private static long CountOf(JsonObject e) =>
        e["series"]?["count"] is JsonValue s && s.TryGetValue<long>(out var n) ? n
        : e["deprecatedCount"] is JsonValue c && c.TryGetValue<long>(out var d) && d > 0 ? d
        : 1;

    private static string? ResourceVersionOf(JsonObject? e) => e?["metadata"]?["resourceVersion"]?.GetValue<string>();

    private static string MicroTime(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>What this process last wrote of an Event.</summary>
    private sealed record Written(long Count, string? ResourceVersion);

    private sealed record Bucket(double Tokens, DateTimeOffset At);
}

/// <summary>Events created, series updates written, occurrences the rate limit dropped, and writes that failed.</summary>
public sealed record EventCounts(long Created, long SeriesUpdates, long RateLimited, long Failed)
{
    /// <summary>Writes of Events that reached the API server (creates and series updates).</summary>
    public long Written => Created + SeriesUpdates;
}
