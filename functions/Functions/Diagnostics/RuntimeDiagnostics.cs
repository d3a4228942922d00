using Microsoft.AspNetCore.Http;
using ServerlessCapi.Functions.Http;
using ServerlessCapi.Functions.Metrics;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Diagnostics;

/// <summary>The runtime's own HTTP functions: health, readiness, metrics and the function list.</summary>
/// <remarks>The standalone host also serves <c>/healthz</c>, <c>/readyz</c> and <c>/metrics</c> at the root; these
/// functions make the same answers reachable under the route prefix, as the isolated-worker app serves them.</remarks>
public static class RuntimeDiagnostics
{
    public static FunctionsBuilder AddRuntimeDiagnostics(this FunctionsBuilder f) => f
        .Http<HealthFunction>("healthz", "GET", route: "healthz", authLevel: AuthorizationLevel.Anonymous)
        .Http<ReadyFunction>("readyz", "GET", route: "readyz", authLevel: AuthorizationLevel.Anonymous)
        .Http<MetricsFunction>("metrics", "GET", route: "metrics")
        .Http<FunctionListFunction>("functions", "GET", route: "admin/functions", authLevel: AuthorizationLevel.Admin);
}

/// <summary>Liveness: the process answers.</summary>
public sealed class HealthFunction : IHttpFunction
{
    public Task<IResult> RunAsync(HttpRequest request, CancellationToken ct) => Task.FromResult(Results.Text("ok\n"));
}

/// <summary>Readiness: listeners started and storage reachable.</summary>
public sealed class ReadyFunction(Readiness readiness) : IHttpFunction
{
    public Task<IResult> RunAsync(HttpRequest request, CancellationToken ct) => HttpTriggerEndpoints.ReadyAsync(readiness, ct);
}

/// <summary>Prometheus text of every ServerlessCapi meter.</summary>
public sealed class MetricsFunction(PrometheusExporter exporter) : IHttpFunction
{
    public Task<IResult> RunAsync(HttpRequest request, CancellationToken ct) =>
        Task.FromResult(Results.Text(exporter.Render(), HttpTriggerEndpoints.PrometheusContentType));
}

/// <summary>The registered functions and their resolved triggers (no secrets).</summary>
public sealed class FunctionListFunction(FunctionCatalog catalog) : IHttpFunction
{
    public Task<IResult> RunAsync(HttpRequest request, CancellationToken ct) =>
        Task.FromResult(Results.Json(catalog.Functions.Select(f => f switch
        {
            QueueFunctionDescriptor q => new FunctionSummary(q.Name, q.Trigger, Queue: q.QueueName),
            TimerFunctionDescriptor t => new FunctionSummary(t.Name, t.Trigger, Schedule: t.Schedule),
            HttpFunctionDescriptor h => new FunctionSummary(h.Name, h.Trigger, Route: h.Route, Methods: h.Methods,
                AuthLevel: h.AuthLevel.ToString().ToLowerInvariant()),
            _ => new FunctionSummary(f.Name, f.Trigger),
        }), FunctionJson.Web));

    public sealed record FunctionSummary(
        string Name, string Trigger, string? Queue = null, string? Schedule = null, string? Route = null,
        IReadOnlyList<string>? Methods = null, string? AuthLevel = null);
}
