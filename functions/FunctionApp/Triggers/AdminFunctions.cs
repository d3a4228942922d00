using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using ServerlessCapi.Functions.Diagnostics;
using Admin = ServerlessCapi.Functions.Admin.AdminFunction;

namespace ServerlessCapi.FunctionApp.Triggers;

/// <summary>The admin API and the runtime's own endpoints, at the standalone host's routes and key levels.</summary>
public static class AdminFunctions
{
    [Function("admin-clusters")]
    public static Task<IActionResult> ListClusters(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/clusters")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<Admin.ListClusters>(request, context);

    [Function("admin-cluster")]
    public static Task<IActionResult> GetCluster(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "admin/clusters/{namespace}/{name}")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<Admin.GetCluster>(request, context);

    [Function("admin-cluster-pause")]
    public static Task<IActionResult> PauseCluster(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/clusters/{namespace}/{name}/pause")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<Admin.PauseCluster>(request, context);

    [Function("admin-cluster-resume")]
    public static Task<IActionResult> ResumeCluster(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/clusters/{namespace}/{name}/resume")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<Admin.ResumeCluster>(request, context);

    [Function("admin-reconcile")]
    public static Task<IActionResult> Reconcile(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "admin/reconcile/{kind}/{namespace}/{name}")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<Admin.Reconcile>(request, context);

    /// <summary>The function list with resolved triggers, behind the master key.</summary>
    [Function("functions")]
    public static Task<IActionResult> Functions(
        [HttpTrigger(AuthorizationLevel.Admin, "get", Route = "admin/functions")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<FunctionListFunction>(request, context);

    [Function("healthz")]
    public static Task<IActionResult> Health(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "healthz")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<HealthFunction>(request, context);

    [Function("readyz")]
    public static Task<IActionResult> Ready(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "readyz")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<ReadyFunction>(request, context);

    [Function("metrics")]
    public static Task<IActionResult> Metrics(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "metrics")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<MetricsFunction>(request, context);
}
