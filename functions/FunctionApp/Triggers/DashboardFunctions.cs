using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Dashboard = ServerlessCapi.Functions.Dashboard.DashboardFunctions;

namespace ServerlessCapi.FunctionApp.Triggers;

/// <summary>The operator dashboard: the page and the data its script polls, keyed like the admin API.</summary>
public static class DashboardFunctions
{
    [Function("dashboard")]
    public static Task<IActionResult> Page(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dashboard")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<Dashboard.Page>(request, context);

    [Function("dashboard-data")]
    public static Task<IActionResult> Data(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dashboard/data")] HttpRequest request, FunctionContext context) =>
        Invoke.HttpAsync<Dashboard.Data>(request, context);
}
