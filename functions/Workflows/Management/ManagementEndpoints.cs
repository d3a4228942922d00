using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace ServerlessCapi.Workflows.Management;

/// <summary>Durable Functions' management HTTP API (same paths, query parameters, headers, status codes and JSON
/// shapes) on the DTFx task hub: instances (query, status with history, raise event, terminate, purge one or by
/// filter) and entities (list, state, signal).</summary>
/// <remarks>Authorization follows the app's function-key rule for admin-level endpoints: the key comes in the
/// <c>x-functions-key</c> header or the <c>code</c> query parameter and must be the master (admin) key or, when the
/// host configures one, the Durable extension's system key; anything else is a 401. Keys never appear in responses.</remarks>
public static class ManagementEndpoints
{
    public const string BasePath = "/runtime/webhooks/durabletask";

    public const string KeyHeader = "x-functions-key";

    public const string KeyQuery = "code";

    /// <summary>Maps the API under <see cref="BasePath"/>. <paramref name="adminKey"/> is required;
    /// <paramref name="systemKey"/> (Durable Functions' <c>durabletask_extension</c> key) is accepted as well when set.</summary>
    public static RouteGroupBuilder MapDurableTaskManagement(this IEndpointRouteBuilder endpoints, TaskHubManagementClient client,
        string adminKey, string? systemKey = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(adminKey);
        byte[][] accepted = string.IsNullOrEmpty(systemKey)
            ? [Encoding.UTF8.GetBytes(adminKey)]
            : [Encoding.UTF8.GetBytes(adminKey), Encoding.UTF8.GetBytes(systemKey)];
        var group = endpoints.MapGroup(BasePath);
        group.AddEndpointFilter(async (ctx, next) =>
            Authorized(ctx.HttpContext.Request, accepted) ? await next(ctx) : Results.Unauthorized());

        var instances = new InstanceHandlers(client);
        // Typed as handlers (not request delegates), so the returned results are written.
        group.MapGet("/instances", (Func<HttpContext, Task<IResult>>)instances.QueryAsync);
        group.MapDelete("/instances", (Func<HttpContext, Task<IResult>>)instances.PurgeByFilterAsync);
        group.MapGet("/instances/{id}", instances.GetAsync);
        group.MapDelete("/instances/{id}", instances.PurgeAsync);
        group.MapPost("/instances/{id}/terminate", instances.TerminateAsync);
        group.MapPost("/instances/{id}/raiseEvent/{eventName}", instances.RaiseEventAsync);

        var entities = new EntityHandlers(client);
        group.MapGet("/entities", (Func<HttpContext, Task<IResult>>)(ctx => entities.ListAsync(ctx, null)));
        group.MapGet("/entities/{name}", entities.ListAsync);
        group.MapGet("/entities/{name}/{key}", entities.GetAsync);
        group.MapPost("/entities/{name}/{key}", entities.SignalAsync);
        group.MapDelete("/entities/{name}/{key}", entities.DeleteAsync);
        return group;
    }

    private static bool Authorized(HttpRequest request, byte[][] accepted)
    {
        var given = request.Headers[KeyHeader].FirstOrDefault() ?? request.Query[KeyQuery].FirstOrDefault();
        if (string.IsNullOrEmpty(given)) return false;
        var bytes = Encoding.UTF8.GetBytes(given);
        // Compare against every accepted key, so the time taken does not tell which one came closest.
        var ok = false;
        foreach (var key in accepted) ok |= CryptographicOperations.FixedTimeEquals(bytes, key);
        return ok;
    }
}
