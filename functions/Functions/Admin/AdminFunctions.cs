using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Reconcilers.Admin;

namespace ServerlessCapi.Functions.Admin;

/// <summary>The admin API (<see cref="AdminEndpoints.Routes"/>) as HTTP-triggered functions: keyed like every other
/// function, listed in <c>function.json</c>, served in both hosting modes.</summary>
public abstract class AdminFunction : IHttpFunction
{
    /// <summary>The <see cref="AdminEndpoints.Route"/> this function serves.</summary>
    protected abstract string RouteName { get; }

    public Task<IResult> RunAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.HttpContext.RequestServices.GetService<AdminApi>() is not { } api)
        {
            return Task.FromResult(Results.Json(new { error = "ServiceUnavailable", reason = "this app instance has no management cluster (set Kubeconfig) or no storage" },
                statusCode: StatusCodes.Status503ServiceUnavailable));
        }
        var route = AdminEndpoints.Routes.Single(r => r.Name == RouteName);
        return AdminEndpoints.ToResultAsync(route.Handle(api, request, ct));
    }

    /// <summary>Registers one function per admin route.</summary>
    public static void Register(FunctionsBuilder f)
    {
        f.Http<ListClusters>("admin-clusters", "GET", "admin/clusters");
        f.Http<GetCluster>("admin-cluster", "GET", "admin/clusters/{namespace}/{name}");
        f.Http<PauseCluster>("admin-cluster-pause", "POST", "admin/clusters/{namespace}/{name}/pause");
        f.Http<ResumeCluster>("admin-cluster-resume", "POST", "admin/clusters/{namespace}/{name}/resume");
        f.Http<Reconcile>("admin-reconcile", "POST", "admin/reconcile/{kind}/{namespace}/{name}");
    }

    public sealed class ListClusters : AdminFunction
    {
        protected override string RouteName => "admin-clusters";
    }

    public sealed class GetCluster : AdminFunction
    {
        protected override string RouteName => "admin-cluster";
    }

    public sealed class PauseCluster : AdminFunction
    {
        protected override string RouteName => "admin-cluster-pause";
    }

    public sealed class ResumeCluster : AdminFunction
    {
        protected override string RouteName => "admin-cluster-resume";
    }

    public sealed class Reconcile : AdminFunction
    {
        protected override string RouteName => "admin-reconcile";
    }
}
