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
}

/// <summary>Reads the object from the management cluster; kinds map to resources through the relay's kind list.</summary>
/// <remarks>Selector lists are cached for <see cref="ListCacheTtl"/>: a burst of Machine events in one cluster costs one
/// list of its health checks, not one per event. A check created meanwhile is woken by its own creation.</remarks>
public sealed class KubeObjectLookup(KubeApi kube, IReadOnlyList<RelayKind> kinds, TimeProvider? time = null) : IObjectLookup
{
    public static readonly TimeSpan ListCacheTtl = TimeSpan.FromSeconds(3);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (DateTimeOffset At, IReadOnlyList<(string, string)> Items)> _lists =
        new(StringComparer.Ordinal);

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
        var path = target.Namespace is null
            ? $"/apis/{kind.Group}/{kind.Version}/{kind.Plural}/{Uri.EscapeDataString(target.Name)}"
            : $"/apis/{kind.Group}/{kind.Version}/namespaces/{Uri.EscapeDataString(target.Namespace)}/{kind.Plural}/{Uri.EscapeDataString(target.Name)}";
        try
        {
            var obj = await kube.SendAsync<JsonObject>(HttpMethod.Get, path, null, null, ct);
            return obj?["metadata"]?["uid"]?.GetValue<string>();
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }
}
