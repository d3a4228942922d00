using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessCapi.Reconcilers.Admin;

/// <summary>The admin routes, as data (for the function app's HTTP trigger registration) and as minimal APIs.</summary>
public static class AdminEndpoints
{
    /// <summary>One admin route below <c>/api/</c>: method, route template and the handler behind it.</summary>
    public sealed record Route(string Name, string Method, string Template, Func<AdminApi, HttpRequest, CancellationToken, Task<AdminResult>> Handle);

    public static IReadOnlyList<Route> Routes { get; } =
    [
        new("admin-clusters", "GET", "admin/clusters",
            (api, r, ct) => api.ListClustersAsync(r.Query["namespace"].FirstOrDefault(), ct)),
        new("admin-cluster", "GET", "admin/clusters/{namespace}/{name}",
            (api, r, ct) => api.GetClusterAsync(Value(r, "namespace"), Value(r, "name"), ct)),
        new("admin-cluster-pause", "POST", "admin/clusters/{namespace}/{name}/pause",
            (api, r, ct) => api.SetPausedAsync(Value(r, "namespace"), Value(r, "name"), paused: true, ct)),
        new("admin-cluster-resume", "POST", "admin/clusters/{namespace}/{name}/resume",
            (api, r, ct) => api.SetPausedAsync(Value(r, "namespace"), Value(r, "name"), paused: false, ct)),
        new("admin-reconcile", "POST", "admin/reconcile/{kind}/{namespace}/{name}",
            (api, r, ct) => api.ReconcileAsync(Value(r, "kind"), Value(r, "namespace"), Value(r, "name"), ct)),
    ];

    /// <summary>Maps every admin route under <paramref name="prefix"/> (an <see cref="AdminApi"/> must be registered).
    /// Authorization is the host's business (function keys in the app).</summary>
    public static IEndpointRouteBuilder MapAdminEndpoints(this IEndpointRouteBuilder endpoints, string prefix = "/api")
    {
        foreach (var route in Routes)
        {
            endpoints.MapMethods($"{prefix.TrimEnd('/')}/{route.Template}", [route.Method], (HttpRequest request, CancellationToken ct) =>
                    ToResultAsync(route.Handle(request.HttpContext.RequestServices.GetRequiredService<AdminApi>(), request, ct)))
                .WithName(route.Name);
        }
        return endpoints;
    }

    /// <summary>Turns an admin answer into an HTTP result.</summary>
    public static async Task<IResult> ToResultAsync(Task<AdminResult> pending)
    {
        var result = await pending;
        return Results.Text(result.Body.ToJsonString(), "application/json", statusCode: result.StatusCode);
    }

    private static string Value(HttpRequest request, string key) => request.RouteValues[key]?.ToString() ?? "";
}
