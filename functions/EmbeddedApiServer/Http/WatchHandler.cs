using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Selectors;
using ServerlessCapi.EmbeddedApiServer.Storage;
using ServerlessCapi.EmbeddedApiServer.Table;
using ServerlessCapi.EmbeddedApiServer.Watch;

namespace ServerlessCapi.EmbeddedApiServer.Http;

/// <summary>A watch stream: newline-delimited JSON events until the timeout, the client leaving, or overflow.</summary>
public static class WatchHandler
{
    private static readonly byte[] Suffix = "}\n"u8.ToArray();

    public static async Task WatchAsync(RequestContext c)
    {
        var fields = c.Fields;
        if (c.Route.Name is { } single)
            fields = FieldSelector.Parse(fields.IsEmpty ? $"metadata.name={single}" : $"{c.Query("fieldSelector")},metadata.name={single}", c.Type);
        var rvText = c.Query("resourceVersion");
        long? after = rvText is "" or "0" ? null
            : long.TryParse(rvText, NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv
            : throw ApiException.BadRequest($"invalid resource version: {rvText}");
        var bookmarks = HttpIo.Flag(c.Request, "allowWatchBookmarks");
        var initialEvents = HttpIo.Flag(c.Request, "sendInitialEvents");
        if (initialEvents) after = null;
        var timeout = int.TryParse(c.Query("timeoutSeconds"), out var t) && t > 0 ? TimeSpan.FromSeconds(t) : c.Settings.DefaultWatchTimeout;

        c.Response.StatusCode = 200;
        c.Response.ContentType = HttpIo.Json;
        Watcher watcher;
        try
        {
            watcher = c.Cluster.Watch(c.Store, new WatchQuery(c.Namespace, c.Labels, fields, after, initialEvents && bookmarks));
        }
        catch (ApiException e) when (e.Code == 410)
        {
            // kube-apiserver reports an expired version inside the stream, as an ERROR event.
            await WriteFrameAsync(c, WatchEvent.Error, JsonSerializer.SerializeToUtf8Bytes(e.ToStatus()));
            return;
        }

        await c.Response.StartAsync(c.Ct);
        await c.Response.Body.FlushAsync(c.Ct);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(c.Ct);
        deadline.CancelAfter(timeout);
        using var bookmarkTimer = bookmarks
            ? new Timer(_ => c.Cluster.Bookmark(watcher), null, c.Settings.BookmarkInterval, c.Settings.BookmarkInterval)
            : null;
        var firstTable = true;
        try
        {
            while (await watcher.Reader.WaitToReadAsync(deadline.Token))
            {
                while (watcher.Reader.TryRead(out var d))
                {
                    watcher.Taken();
                    if (d.Type == WatchEvent.Bookmark && !bookmarks) continue;
                    await WriteDeliveryAsync(c, d, firstTable);
                    if (d.Type != WatchEvent.Bookmark) firstTable = false;
                }
                await c.Response.Body.FlushAsync(deadline.Token);
            }
        }
        catch (OperationCanceledException) when (!c.Ct.IsCancellationRequested)
        {
            // Timeout reached: a final bookmark tells the client how far it got before the stream ends.
            if (bookmarks)
            {
                c.Cluster.Bookmark(watcher);
                while (watcher.Reader.TryRead(out var d))
                    await WriteDeliveryAsync(c, d, firstTable);
                await c.Response.Body.FlushAsync(c.Ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
        finally
        {
            c.Cluster.StopWatch(c.Store, watcher);
        }
    }

    private static Task WriteDeliveryAsync(RequestContext c, WatchDelivery d, bool firstTable)
    {
        if (d.Type == WatchEvent.Bookmark) return WriteFrameAsync(c, d.Type, BookmarkObject(c, d));
        if (c.WantsTable)
        {
            var table = TableBuilder.Build(c.Store.Type, c.Route.Version, [d.Object!], d.ResourceVersion, null, c.IncludeObject, withColumns: firstTable);
            return WriteFrameAsync(c, d.Type, JsonSerializer.SerializeToUtf8Bytes(table));
        }
        return WriteFrameAsync(c, d.Type, c.Serve(d.Object!));
    }

    private static async Task WriteFrameAsync(RequestContext c, string type, byte[] obj)
    {
        // Three writes instead of one concatenation: the object bytes are shared with the store and every other watcher.
        await c.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"{{\"type\":\"{type}\",\"object\":"), c.Ct);
        await c.Response.Body.WriteAsync(obj, c.Ct);
        await c.Response.Body.WriteAsync(Suffix, c.Ct);
    }

    private static byte[] BookmarkObject(RequestContext c, WatchDelivery d)
    {
        var meta = new JsonObject
        {
            ["resourceVersion"] = d.ResourceVersion.ToString(CultureInfo.InvariantCulture),
            ["creationTimestamp"] = null,
        };
        if (d.InitialEventsEnd) meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        var bookmark = new JsonObject
        {
            ["kind"] = c.Type.Kind,
            ["apiVersion"] = c.Type.GroupVersion(c.Route.Version),
            ["metadata"] = meta,
        };
        return JsonSerializer.SerializeToUtf8Bytes(bookmark);
    }
}
