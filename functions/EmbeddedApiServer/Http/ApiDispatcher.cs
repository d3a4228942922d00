using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using ServerlessCapi.EmbeddedApiServer.Auth;
using ServerlessCapi.EmbeddedApiServer.Discovery;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Http;

/// <summary>The one request entry point: authentication, the cluster prefix, discovery, and resource verbs.</summary>
public sealed class ApiDispatcher(ClusterRegistry clusters, BearerAuth auth, RequestMetrics metrics, ServerSettings settings, ILogger logger)
{
    public async Task HandleAsync(HttpContext http)
    {
        var route = ApiRoute.Parse(http.Request.Path.Value ?? "/");
        try
        {
            if (route.Kind == RouteKind.Health)
            {
                await HttpIo.WriteBytesAsync(http.Response, 200, "ok"u8.ToArray(), http.RequestAborted, "text/plain; charset=utf-8");
                return;
            }
            if (!auth.IsAuthenticated(http.Request, route.Cluster)) throw ApiException.Unauthorized();
            if (!ClusterRegistry.IsValidName(route.Cluster)) throw ApiException.PathNotFound();
            var cluster = clusters.GetOrCreate(route.Cluster);
            if (route.Kind == RouteKind.Resource) await ResourceAsync(http, cluster, route);
            else await DiscoveryAsync(http, cluster, route);
        }
        catch (ApiException e) when (!http.Response.HasStarted)
        {
            await HttpIo.WriteErrorAsync(http.Response, e, http.RequestAborted);
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (!http.Response.HasStarted && e is not OperationCanceledException)
        {
            logger.LogError(e, "Request {Method} {Path} failed", http.Request.Method, http.Request.Path.Value);
            await HttpIo.WriteErrorAsync(http.Response, new ApiException(500, "InternalError", "an error on the server has prevented the request from succeeding"), http.RequestAborted);
        }
    }

    private async Task ResourceAsync(HttpContext http, Cluster cluster, ApiRoute route)
    {
        var (type, store) = cluster.FindServed(route.Group, route.Version, route.Resource) ?? throw ApiException.PathNotFound();
        if (route.Namespace is not null && !type.Namespaced) throw ApiException.PathNotFound();
        var c = new RequestContext(http, cluster, store, route, settings) { Type = type };
        var method = http.Request.Method;
        var isWatch = route.LegacyWatch || HttpIo.Flag(http.Request, "watch");
        if (route.LegacyWatch && method != "GET") throw ApiException.MethodNotSupported(type.Plural, method);
        switch (method)
        {
            case "GET" when isWatch:
                metrics.Count("watch");
                await WatchHandler.WatchAsync(c);
                break;
            case "GET" when route.Name is null:
                metrics.Count("list");
                await ResourceHandlers.ListAsync(c);
                break;
            case "GET":
                metrics.Count("get");
                await ResourceHandlers.GetAsync(c);
                break;
            case "POST":
                metrics.Count("create");
                await ResourceHandlers.CreateAsync(c);
                break;
            case "PUT":
                metrics.Count("update");
                await ResourceHandlers.UpdateAsync(c);
                break;
            case "PATCH":
                metrics.Count("patch");
                await PatchHandler.PatchAsync(c);
                break;
            case "DELETE":
                metrics.Count("delete");
                await ResourceHandlers.DeleteAsync(c);
                break;
            default:
                throw ApiException.MethodNotSupported(type.Plural, method);
        }
    }

    private async Task DiscoveryAsync(HttpContext http, Cluster cluster, ApiRoute route)
    {
        var ct = http.RequestAborted;
        var types = cluster.Types();
        var accept = http.Request.Headers.Accept.ToString();
        var aggregated = accept.Split(',').Any(a => a.Contains("as=APIGroupDiscoveryList", StringComparison.Ordinal)
            && (a.Contains(";v=v2;", StringComparison.Ordinal) || a.TrimEnd().EndsWith(";v=v2", StringComparison.Ordinal)));
        switch (route.Kind)
        {
            case RouteKind.Version:
                await HttpIo.WriteAsync(http.Response, 200, DiscoveryDocuments.Version(), ct);
                break;
            case RouteKind.CoreVersions when aggregated:
            case RouteKind.Groups when aggregated:
                var doc = DiscoveryDocuments.Aggregated(types, core: route.Kind == RouteKind.CoreVersions);
                http.Response.Headers.Vary = "Accept";
                await HttpIo.WriteBytesAsync(http.Response, 200, System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(doc), ct, DiscoveryDocuments.AggregatedContentType);
                break;
            case RouteKind.CoreVersions:
                await HttpIo.WriteAsync(http.Response, 200, DiscoveryDocuments.ApiVersions(http.Request.Host.Value ?? "127.0.0.1"), ct);
                break;
            case RouteKind.Groups:
                await HttpIo.WriteAsync(http.Response, 200, DiscoveryDocuments.GroupList(types), ct);
                break;
            case RouteKind.Group:
                await HttpIo.WriteAsync(http.Response, 200, DiscoveryDocuments.GroupDocument(types, route.Group) ?? throw ApiException.PathNotFound(), ct);
                break;
            case RouteKind.ResourceList:
                await HttpIo.WriteAsync(http.Response, 200, DiscoveryDocuments.ResourceList(types, route.Group, route.Version) ?? throw ApiException.PathNotFound(), ct);
                break;
            case RouteKind.OpenApiV3 when route.Rest.Length == 0:
                await HttpIo.WriteAsync(http.Response, 200, OpenApiDocuments.Index(types, cluster.DiscoveryVersion), ct);
                break;
            case RouteKind.OpenApiV3:
                await HttpIo.WriteAsync(http.Response, 200, OpenApiDocuments.GroupVersion(types, route.Rest) ?? throw ApiException.PathNotFound(), ct);
                break;
            case RouteKind.Metrics:
                await HttpIo.WriteBytesAsync(http.Response, 200, Encoding.UTF8.GetBytes(metrics.Prometheus()), ct, "text/plain; version=0.0.4");
                break;
            default:
                throw ApiException.PathNotFound();
        }
    }
}
