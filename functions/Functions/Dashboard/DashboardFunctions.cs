using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.Functions.Dashboard;

/// <summary>The operator dashboard as two HTTP-triggered functions keyed like the admin API: the page
/// (<c>/api/dashboard?code=KEY</c>) and the JSON its script polls (<c>/api/dashboard/data</c>).</summary>
public static partial class DashboardFunctions
{
    public static void Register(FunctionsBuilder f)
    {
        f.Http<Page>("dashboard", "GET", "dashboard");
        f.Http<Data>("dashboard-data", "GET", "dashboard/data");
    }

    public static void AddServices(IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section);
        services.TryAddSingleton<MetricsHistory>();
        services.TryAddScoped<Sections>();
        services.AddHostedService<MetricsSampler>();
    }

    /// <summary>The page, with every section rendered on the server.</summary>
    public sealed class Page(Sections sections, IOptions<DashboardOptions> options) : IHttpFunction
    {
        public async Task<IResult> RunAsync(HttpRequest request, CancellationToken ct)
        {
            var view = await sections.RenderAsync(request.Query["cluster"].FirstOrDefault(), ct);
            var nonce = DashboardPage.NewNonce();
            var headers = request.HttpContext.Response.Headers;
            headers.ContentSecurityPolicy = DashboardPage.ContentSecurityPolicy(nonce);
            headers.CacheControl = "no-store";
            headers["Referrer-Policy"] = "no-referrer";
            headers.XContentTypeOptions = "nosniff";
            var endpoint = (request.PathBase + request.Path).Value?.TrimEnd('/') + "/data";
            return Results.Content(DashboardPage.Render(view, endpoint, options.Value.RefreshInterval, nonce), "text/html; charset=utf-8");
        }
    }

    /// <summary>The sections as HTML fragments in JSON, for the page's script.</summary>
    public sealed class Data(Sections sections) : IHttpFunction
    {
        public async Task<IResult> RunAsync(HttpRequest request, CancellationToken ct)
        {
            var view = await sections.RenderAsync(request.Query["cluster"].FirstOrDefault(), ct);
            request.HttpContext.Response.Headers.CacheControl = "no-store";
            return Results.Json(new
            {
                updated = view.At,
                selected = view.Selected,
                fleet = view.Fleet,
                cluster = view.Cluster,
                metrics = view.Metrics,
            });
        }
    }

    /// <summary>Reads and renders the sections for one request.</summary>
    public sealed partial class Sections(IServiceProvider services, MetricsHistory history, TimeProvider time)
    {
        /// <param name="cluster"><c>namespace/name</c>; default: the first Cluster of the fleet.</param>
        public async Task<DashboardSections> RenderAsync(string? cluster, CancellationToken ct)
        {
            history.SampleIfDue();
            var now = time.GetUtcNow();
            var metrics = MetricsCharts.Render(history.Samples);
            if (services.GetService<KubeApi>() is not { } kube || services.GetService<ObjectWorkflowClient>() is not { } workflows)
            {
                const string none = "<p class=\"muted\">This app instance has no management cluster (set Kubeconfig) or no storage.</p>";
                return new DashboardSections(now, null, none, "", metrics);
            }
            var reader = new DashboardReader(kube, workflows);
            var fleet = await reader.FleetAsync(ct);
            var selected = cluster is { Length: > 0 } ? cluster
                : fleet.Count > 0 && fleet[0] is var first ? $"{first.Cluster.Namespace}/{first.Cluster.Name}" : null;
            ClusterDetail? detail = null;
            if (selected is not null)
            {
                if (Parse(selected) is not { } key)
                    return new DashboardSections(now, null, DashboardHtml.Fleet(fleet, null, now), "<p class=\"bad\">Not a cluster: expected namespace/name.</p>", metrics);
                detail = await reader.ClusterAsync(key.Namespace, key.Name, ct);
            }
            return new DashboardSections(now, selected, DashboardHtml.Fleet(fleet, selected, now), DashboardHtml.Cluster(detail, selected, now), metrics);
        }

        private static (string Namespace, string Name)? Parse(string selected) =>
            selected.Split('/') is [var ns, var name] && ns.Length <= 63 && Label().IsMatch(ns) && name.Length <= 253 && Subdomain().IsMatch(name)
                ? (ns, name)
                : null;

        [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
        private static partial Regex Label();

        [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
        private static partial Regex Subdomain();
    }
}
