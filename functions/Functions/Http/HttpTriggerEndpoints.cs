using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Metrics;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Http;

/// <summary>Maps HTTP-triggered functions to <c>/{routePrefix}/{route}</c> and the fixed health and metrics endpoints.</summary>
public static class HttpTriggerEndpoints
{
    /// <param name="checkKeys">False behind the Functions host, which has authorized the request already.</param>
    public static void MapHttpFunctions(this IEndpointRouteBuilder endpoints, FunctionCatalog catalog, string routePrefix, bool checkKeys)
    {
        var prefix = routePrefix.Trim('/');
        foreach (var function in catalog.Http)
        {
            var pattern = prefix.Length == 0 || function.AtRoot ? "/" + function.Route : $"/{prefix}/{function.Route}";
            Func<HttpContext, Task<IResult>> handler = context => InvokeAsync(context, function, checkKeys);
            endpoints.MapMethods(pattern, function.Methods, handler)
                .WithName(function.Name);
        }
    }

    /// <summary><c>/healthz</c> (alive), <c>/readyz</c> (listeners started, storage reachable), <c>/metrics</c> (Prometheus).</summary>
    public static void MapRuntimeEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapGet("/readyz", ReadyAsync);
        endpoints.MapGet("/metrics", (PrometheusExporter exporter) => Results.Text(exporter.Render(), PrometheusContentType));
    }

    public const string PrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

    internal static async Task<IResult> ReadyAsync(Readiness readiness, CancellationToken ct) =>
        await readiness.ProblemAsync(ct) is { } problem
            ? Results.Text($"not ready: {problem}\n", statusCode: StatusCodes.Status503ServiceUnavailable)
            : Results.Text("ready\n");

    private static async Task<IResult> InvokeAsync(HttpContext context, HttpFunctionDescriptor function, bool checkKeys)
    {
        var services = context.RequestServices;
        if (checkKeys && !services.GetRequiredService<FunctionKeys>().Authorize(context.Request, function))
            return Results.Unauthorized();
        try
        {
            return await services.GetRequiredService<FunctionExecutor>().ExecuteAsync(
                function, sp => function.Invoke(sp, context.Request, context.RequestAborted), context.RequestAborted);
        }
        catch (Exception) when (!context.RequestAborted.IsCancellationRequested)
        {
            // Logged by the executor; the caller learns nothing about internals.
            return Results.StatusCode(StatusCodes.Status500InternalServerError);
        }
    }
}
