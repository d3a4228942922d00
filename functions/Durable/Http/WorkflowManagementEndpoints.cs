using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessCapi.Durable;

/// <summary>The Durable Functions instance-management HTTP API (same routes, status codes and JSON field names), served
/// by the engine's <see cref="IWorkflowClient"/>.</summary>
/// <remarks>Instance ids contain '/', so clients should percent-encode them in paths (<c>Machine%2F3f1c</c>); unencoded
/// ids work too. Unlike Durable Functions, the management URLs returned by start carry no key: keys never appear in
/// responses.</remarks>
public static class WorkflowManagementEndpoints
{
    public const string BasePath = "/runtime/webhooks/durabletask";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Maps the endpoints; every request needs <paramref name="adminKey"/> as the <c>code</c> query
    /// parameter or the <c>x-functions-key</c> header (401 otherwise).</summary>
    public static RouteGroupBuilder MapWorkflowManagementEndpoints(this IEndpointRouteBuilder endpoints, string adminKey)
    {
        ArgumentException.ThrowIfNullOrEmpty(adminKey);
        var expected = Encoding.UTF8.GetBytes(adminKey);
        var group = endpoints.MapGroup(BasePath);
        group.AddEndpointFilter(async (ctx, next) =>
        {
            var request = ctx.HttpContext.Request;
            var given = request.Headers["x-functions-key"].FirstOrDefault() ?? request.Query["code"].FirstOrDefault();
            if (given is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), expected))
                return Results.Unauthorized();
            return await next(ctx);
        });
        group.MapGet("/instances", ListAsync);
        group.MapGet("/instances/{**path}", GetAsync);
        group.MapDelete("/instances/{**path}", PurgeAsync);
        group.MapPost("/instances/{**path}", OperateAsync);
        group.MapPost("/orchestrators/{name}/{**instanceId}", StartAsync);
        return group;
    }

    private static IWorkflowClient Client(HttpContext ctx) => ctx.RequestServices.GetRequiredService<IWorkflowClient>();

    private static async Task<IResult> GetAsync(HttpContext ctx, string path)
    {
        var id = InstanceIdFrom(path.Split('/'));
        var showHistory = Flag(ctx, "showHistory", false);
        var status = await Client(ctx).GetStatusAsync(id, showHistory, ctx.RequestAborted);
        if (status is null) return Results.NotFound();
        var body = ToJson(status, Flag(ctx, "showInput", true));
        if (status.RuntimeStatus is RuntimeStatus.Completed or RuntimeStatus.Failed or RuntimeStatus.Terminated)
            return Results.Json(body, Json);
        ctx.Response.Headers.Location = $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}{ctx.Request.Path}";
        ctx.Response.Headers.RetryAfter = "5";
        return Results.Json(body, Json, statusCode: StatusCodes.Status202Accepted);
    }

    private static async Task<IResult> ListAsync(HttpContext ctx, CancellationToken ct)
    {
        var q = ctx.Request.Query;
        var statuses = new List<RuntimeStatus>();
        foreach (var s in q["runtimeStatus"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<RuntimeStatus>(s, ignoreCase: true, out var parsed)) return Results.BadRequest($"Unknown runtimeStatus '{s}'.");
            statuses.Add(parsed);
        }
        if (!TryTime(q["createdTimeFrom"], out var from) || !TryTime(q["createdTimeTo"], out var to))
            return Results.BadRequest("createdTimeFrom and createdTimeTo must be ISO 8601 times.");
        var top = 100;
        if (q["top"].FirstOrDefault() is { } topText && (!int.TryParse(topText, CultureInfo.InvariantCulture, out top) || top < 1))
            return Results.BadRequest("top must be a positive number.");
        var token = ctx.Request.Headers["x-ms-continuation-token"].FirstOrDefault();
        var query = new InstanceQuery(statuses.Count > 0 ? statuses : null, q["instanceIdPrefix"].FirstOrDefault(), from, to, Math.Min(top, 1000),
            string.IsNullOrEmpty(token) ? null : token);
        var page = await Client(ctx).ListAsync(query, ct);
        if (page.ContinuationToken is { } next) ctx.Response.Headers["x-ms-continuation-token"] = next;
        var showInput = Flag(ctx, "showInput", false);
        return Results.Json(page.Instances.Select(s => ToJson(s, showInput)).ToList(), Json);
    }

    private static async Task<IResult> PurgeAsync(HttpContext ctx, string path)
    {
        var id = InstanceIdFrom(path.Split('/'));
        var client = Client(ctx);
        var status = await client.GetStatusAsync(id, false, ctx.RequestAborted);
        if (status is null) return Results.NotFound();
        if (!IsTerminal(status.RuntimeStatus))
            return Results.Text($"Only instances in a terminal state can be purged; {id} is {status.RuntimeStatus}.",
                statusCode: StatusCodes.Status412PreconditionFailed);
        var deleted = await client.PurgeAsync(id, ctx.RequestAborted);
        return Results.Json(new { instancesDeleted = deleted ? 1 : 0 }, Json);
    }

    private static async Task<IResult> OperateAsync(HttpContext ctx, string path)
    {
        var segments = path.Split('/');
        string operation;
        string? eventName = null;
        if (segments.Length >= 3 && segments[^2].Equals("raiseEvent", StringComparison.OrdinalIgnoreCase))
        {
            operation = "raiseEvent";
            eventName = Uri.UnescapeDataString(segments[^1]);
            segments = segments[..^2];
        }
        else if (segments.Length >= 2 && segments[^1].ToLowerInvariant() is "terminate" or "suspend" or "resume")
        {
            operation = segments[^1].ToLowerInvariant();
            segments = segments[..^1];
        }
        else
        {
            return Results.NotFound();
        }

        var id = InstanceIdFrom(segments);
        var client = Client(ctx);
        var status = await client.GetStatusAsync(id, false, ctx.RequestAborted);
        if (status is null) return Results.NotFound();
        if (IsTerminal(status.RuntimeStatus)) return Results.StatusCode(StatusCodes.Status410Gone);
        var reason = ctx.Request.Query["reason"].FirstOrDefault() ?? "";
        switch (operation)
        {
            case "raiseEvent":
                var (ok, payload) = await ReadJsonBodyAsync(ctx);
                if (!ok) return Results.BadRequest("The request body must be JSON.");
                await client.RaiseEventAsync(id, eventName!, payload, ct: ctx.RequestAborted);
                break;
            case "terminate":
                if (!await client.TerminateAsync(id, reason, ctx.RequestAborted)) return Results.StatusCode(StatusCodes.Status410Gone);
                break;
            case "suspend":
                if (!await client.SuspendAsync(id, reason, ctx.RequestAborted)) return Results.StatusCode(StatusCodes.Status410Gone);
                break;
            default:
                if (!await client.ResumeAsync(id, reason, ctx.RequestAborted)) return Results.StatusCode(StatusCodes.Status410Gone);
                break;
        }
        return Results.Accepted();
    }

    private static async Task<IResult> StartAsync(HttpContext ctx, string name, string? instanceId)
    {
        var registry = ctx.RequestServices.GetService<WorkflowRegistry>();
        if (registry is { Names.Count: > 0 } && !registry.Contains(name)) return Results.BadRequest($"No workflow named '{name}'.");
        var id = string.IsNullOrEmpty(instanceId) ? Guid.NewGuid().ToString("N") : InstanceIdFrom(instanceId.Split('/'));
        var (ok, input) = await ReadJsonBodyAsync(ctx);
        if (!ok) return Results.BadRequest("The request body must be JSON.");
        try
        {
            if (!await Client(ctx).StartAsync(name, id, input, ctx.RequestAborted))
                return Results.Conflict($"An instance with id '{id}' already exists.");
        }
        catch (ArgumentException ex)
        {
            return Results.BadRequest(ex.Message);
        }
        var instanceUri = $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}{BasePath}/instances/{Uri.EscapeDataString(id)}";
        ctx.Response.Headers.Location = instanceUri;
        return Results.Json(new
        {
            id,
            statusQueryGetUri = instanceUri,
            sendEventPostUri = instanceUri + "/raiseEvent/{eventName}",
            terminatePostUri = instanceUri + "/terminate?reason={text}",
            suspendPostUri = instanceUri + "/suspend?reason={text}",
            resumePostUri = instanceUri + "/resume?reason={text}",
            purgeHistoryDeleteUri = instanceUri,
        }, Json, statusCode: StatusCodes.Status202Accepted);
    }

    private static JsonObject ToJson(InstanceStatus s, bool showInput)
    {
        var o = new JsonObject
        {
            ["name"] = s.WorkflowName,
            ["instanceId"] = s.InstanceId,
            ["runtimeStatus"] = s.RuntimeStatus.ToString(),
            ["input"] = showInput ? AsJson(s.Input) : null,
            ["customStatus"] = AsJson(s.CustomStatus),
            ["output"] = s.RuntimeStatus switch
            {
                RuntimeStatus.Completed => AsJson(s.State),
                RuntimeStatus.Failed or RuntimeStatus.Terminated => s.LastError is null ? null : JsonValue.Create(s.LastError),
                _ => null,
            },
            ["createdTime"] = Time(s.CreatedAt),
            ["lastUpdatedTime"] = Time(s.LastUpdatedAt),
            ["nextTimerTime"] = s.NextTimerAt is { } t ? Time(t) : null,
            ["failedAttempts"] = s.FailedAttempts,
            ["lastError"] = s.LastError,
        };
        if (s.History is { } history)
        {
            o["historyEvents"] = new JsonArray([.. history.Select(h => (JsonNode)new JsonObject
            {
                ["EventType"] = h.Event,
                ["Timestamp"] = h.Time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
                ["FromStatus"] = h.FromStatus,
                ["ToStatus"] = h.ToStatus,
                ["Note"] = h.Note,
            })]);
        }
        return o;
    }

    /// <summary>Stored JSON is returned as JSON (as Durable Functions does); anything else as a string.</summary>
    private static JsonNode? AsJson(string? text)
    {
        if (text is null) return null;
        try
        {
            return JsonNode.Parse(text);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static async Task<(bool Ok, string? Json)> ReadJsonBodyAsync(HttpContext ctx)
    {
        using var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8, leaveOpen: true);
        var text = await reader.ReadToEndAsync(ctx.RequestAborted);
        if (string.IsNullOrWhiteSpace(text)) return (true, null);
        try
        {
            using var _ = JsonDocument.Parse(text);
            return (true, text);
        }
        catch (JsonException)
        {
            return (false, null);
        }
    }

    /// <summary>Path segments back to an instance id: each segment is unescaped (so <c>Machine%2F1</c> works), and
    /// unencoded slashes are kept.</summary>
    private static string InstanceIdFrom(string[] segments) => string.Join('/', segments.Select(Uri.UnescapeDataString));

    private static bool TryTime(Microsoft.Extensions.Primitives.StringValues value, out DateTimeOffset? time)
    {
        time = null;
        if (value.FirstOrDefault() is not { Length: > 0 } text) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        time = parsed;
        return true;
    }

    private static bool Flag(HttpContext ctx, string name, bool fallback) =>
        bool.TryParse(ctx.Request.Query[name].FirstOrDefault(), out var value) ? value : fallback;

    private static bool IsTerminal(RuntimeStatus s) => s is RuntimeStatus.Completed or RuntimeStatus.Failed or RuntimeStatus.Terminated;
}
