using System.Text;
using System.Text.Json;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Selectors;
using ServerlessCapi.EmbeddedApiServer.Watch;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>A list request: scope, selectors and paging.</summary>
public sealed record ListQuery(string? Namespace, LabelSelector Labels, FieldSelector Fields, int Limit, string? Continue);

/// <summary>One page of a list: its items, the list's resourceVersion and the token for the next page.</summary>
public sealed record ListPage(IReadOnlyList<StoredObject> Items, long ResourceVersion, string? Continue);

/// <summary>Where a watch starts: after a resourceVersion, or (null) with the current state sent as ADDED.</summary>
public sealed record WatchQuery(string? Namespace, LabelSelector Labels, FieldSelector Fields, long? AfterResourceVersion, bool InitialEventsEnd);

public sealed partial class Cluster
{
    public StoredObject Get(ResourceStore store, string? ns, string name)
    {
        lock (_gate)
        {
            return store.Get(StoredObject.KeyOf(ns, name))
                ?? throw ApiException.NotFound(store.Type.Group, store.Type.Plural, name);
        }
    }

    public StoredObject? TryGet(ResourceStore store, string? ns, string name)
    {
        lock (_gate) return store.Get(StoredObject.KeyOf(ns, name));
    }

    public ListPage List(ResourceStore store, ListQuery q)
    {
        var token = q.Continue is { Length: > 0 } c ? ContinueToken.Decode(c) : null;
        var items = new List<StoredObject>();
        lock (_gate)
        {
            var listRv = token?.ResourceVersion ?? _rv;
            string? next = null;
            foreach (var obj in store.Scan(q.Namespace, token?.AfterKey, q.Labels))
            {
                if (!q.Labels.Matches(obj.Labels) || (!q.Fields.IsEmpty && !q.Fields.Matches(obj))) continue;
                if (q.Limit > 0 && items.Count == q.Limit)
                {
                    next = new ContinueToken(listRv, items[^1].Key).Encode();
                    break;
                }
                items.Add(obj);
            }
            return new ListPage(items, listRv, next);
        }
    }

    /// <summary>Registers a watcher and queues what it must see first (current state or the retained window).</summary>
    /// <exception cref="ApiException">410 Gone when the requested version is older than the retained window.</exception>
    public Watcher Watch(ResourceStore store, WatchQuery q)
    {
        var watcher = new Watcher(q.Namespace, q.Labels, q.Fields, _settings.WatcherQueueLimit);
        lock (_gate)
        {
            if (q.AfterResourceVersion is { } after)
            {
                if (!store.Watch.Replay(after, watcher))
                    throw ApiException.Gone($"too old resource version: {after} ({store.Watch.EvictedThrough + 1})");
            }
            else
            {
                foreach (var obj in store.Scan(q.Namespace, null, q.Labels))
                {
                    if (watcher.Matches(obj)) watcher.Send(new WatchDelivery(WatchEvent.Added, obj, obj.ResourceVersion));
                }
                if (q.InitialEventsEnd) watcher.Send(new WatchDelivery(WatchEvent.Bookmark, null, _rv, InitialEventsEnd: true));
            }
            store.Watch.Add(watcher);
        }
        return watcher;
    }

    public void StopWatch(ResourceStore store, Watcher watcher)
    {
        lock (_gate) store.Watch.Remove(watcher);
        watcher.Close();
    }

    /// <summary>Queues a bookmark at the current version: every earlier event of this resource is already queued
    /// ahead of it, because both happen under the cluster lock.</summary>
    public void Bookmark(Watcher watcher)
    {
        lock (_gate) watcher.Send(new WatchDelivery(WatchEvent.Bookmark, null, _rv));
    }
}

/// <summary>The opaque continue token of a paged list: the list's version and the last key returned.</summary>
internal sealed record ContinueToken(long ResourceVersion, string AfterKey)
{
    public string Encode() =>
        Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object> { ["v"] = "meta.k8s.io/v1", ["rv"] = ResourceVersion, ["start"] = AfterKey + "\0" }));

    public static ContinueToken Decode(string token)
    {
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            var start = doc.RootElement.GetProperty("start").GetString()!;
            return new ContinueToken(doc.RootElement.GetProperty("rv").GetInt64(), start.TrimEnd('\0'));
        }
        catch (Exception e) when (e is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw ApiException.BadRequest("continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)");
        }
    }
}
