using System.Text.Json.Nodes;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Kube.Relay;

namespace ServerlessCapi.Kube.Events;

/// <summary>Finds the uid of an object known only by kind, namespace and name (for label routes).</summary>
public interface IObjectLookup
{
    Task<string?> UidAsync(RouteTarget target, CancellationToken ct);

    /// <summary>The (name, uid) of every object a selector target matches.</summary>
    Task<IReadOnlyList<(string Name, string Uid)>> MatchingAsync(RouteTarget target, CancellationToken ct);

    /// <summary>What an event says about an object: its uid while it exists; nothing once it is deleted.</summary>
    void Observe(ObjectEventData change)
    {
    }
}

/// <summary>Reads the object from the management cluster; kinds map to resources through the relay's kind list.</summary>
/// <remarks>Selector lists are cached for <see cref="ListCacheTtl"/>: a burst of Machine events in one cluster costs one
/// list of its health checks, not one per event. A check created meanwhile is woken by its own creation.
/// <para>Uids by name are cached for <see cref="UidCacheTtl"/>, fed by the lookups and by every event the dispatcher
/// handles (<see cref="Observe"/>), and dropped when an event says the object is gone: at fleet scale every Machine
/// change that wakes its Cluster would otherwise cost a GET of the Cluster. The uid of a name only changes when the
/// object is deleted and created again; if another process handled that deletion, a wake may still go to the old
/// object's instance until the entry expires, while the new object's own events and polls drive it.</para></remarks>
public sealed class KubeObjectLookup(KubeApi kube, IReadOnlyList<RelayKind> kinds, TimeProvider? time = null) : IObjectLookup
{
    public static readonly TimeSpan ListCacheTtl = TimeSpan.FromSeconds(3);
    public static readonly TimeSpan UidCacheTtl = TimeSpan.FromSeconds(30);

    /// <summary>The most entries kept: a full cache drops its expired entries, and everything when none had expired.</summary>
    public const int UidCacheLimit = 50_000;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<(string, string)> Items)> _lists =
        new(StringComparer.Ordinal);
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, string Uid)> _uids =
        new(StringComparer.Ordinal);

    public void Observe(ObjectEventData change)
    {
        var key = UidKey(change.Kind, change.Namespace, change.Name);
        if (change.Deleted) _uids.TryRemove(key, out _);
        else Remember(key, change.Uid);
    }

    public async Task<IReadOnlyList<(string Name, string Uid)>> MatchingAsync(RouteTarget target, CancellationToken ct)
    {
        var kind = kinds.FirstOrDefault(k => k.Kind == target.Kind);
        if (kind is null || target.Selector is null || target.Namespace is null) return [];
        var cacheKey = $"{target.Kind}|{target.Namespace}|{target.Selector}";
        var now = _time.GetUtcNow();
        if (_lists.TryGetValue(cacheKey, out var cached) && now - cached.At < ListCacheTtl) return cached.Items;
        var path = $"/apis/{kind.Group}/{kind.Version}/namespaces/{Uri.EscapeDataString(target.Namespace)}/{kind.Plural}" +
                   $"?labelSelector={Uri.EscapeDataString(target.Selector)}";
        var list = await kube.SendAsync<JsonObject>(HttpMethod.Get, path, null, null, ct);
        var items = (list?["items"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(o => (Name: o["metadata"]?["name"]?.GetValue<string>(), Uid: o["metadata"]?["uid"]?.GetValue<string>()))
            .Where(p => p.Name is not null && p.Uid is not null)
            .Select(p => (p.Name!, p.Uid!))
            .ToList();
        _lists[cacheKey] = (now, items);
        return items;
    }

    public async Task<string?> UidAsync(RouteTarget target, CancellationToken ct)
    {
        if (target.Uid is not null) return target.Uid;
        var kind = kinds.FirstOrDefault(k => k.Kind == target.Kind);
        if (kind is null) return null;
        var key = UidKey(target.Kind, target.Namespace, target.Name);
        if (_uids.TryGetValue(key, out var cached) && _time.GetUtcNow() - cached.At < UidCacheTtl) return cached.Uid;
        var path = target.Namespace is null
            ? $"/apis/{kind.Group}/{kind.Version}/{kind.Plural}/{Uri.EscapeDataString(target.Name)}"
            : $"/apis/{kind.Group}/{kind.Version}/namespaces/{Uri.EscapeDataString(target.Namespace)}/{kind.Plural}/{Uri.EscapeDataString(target.Name)}";
        try
        {
            var obj = await kube.SendAsync<JsonObject>(HttpMethod.Get, path, null, null, ct);
            var uid = obj?["metadata"]?["uid"]?.GetValue<string>();
            if (uid is not null) Remember(key, uid);
            return uid;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            // Not remembered: a wake for an object about to be created must find it once it is.
            _uids.TryRemove(key, out _);
            return null;
        }
    }

    private void Remember(string key, string uid)
    {
        var now = _time.GetUtcNow();
        if (_uids.Count >= UidCacheLimit)
        {
            foreach (var (k, v) in _uids)
            {
                if (now - v.At >= UidCacheTtl) _uids.TryRemove(k, out _);
            }
            if (_uids.Count >= UidCacheLimit) _uids.Clear();
        }
        _uids[key] = (now, uid);
    }

    private static string UidKey(string kind, string? ns, string name) => $"{kind}|{ns}|{name}";
}
