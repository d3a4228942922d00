using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.Workflows.Management;

/// <summary>The instance endpoints, answering as Durable Functions does: 202 with Location and Retry-After for a
/// running instance, 404 for an unknown one, 410 for raising to or terminating a finished one, 412 for purging an
/// unfinished orchestration, continuation in the <c>x-ms-continuation-token</c> header.</summary>
internal sealed class InstanceHandlers(TaskHubManagementClient client)
{
    public const string ContinuationHeader = "x-ms-continuation-token";

    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<IResult> QueryAsync(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        if (!TryStatuses(q["runtimeStatus"], out var statuses, out var bad)) return Results.BadRequest($"Unknown runtimeStatus '{bad}'.");
        if (!TryTime(q["createdTimeFrom"], out var from) || !TryTime(q["createdTimeTo"], out var to))
            return Results.BadRequest("createdTimeFrom and createdTimeTo must be ISO 8601 times.");
        var top = DefaultPageSize;
        if (q["top"].FirstOrDefault() is { Length: > 0 } topText
            && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top < 1))
            return Results.BadRequest("top must be a positive number.");
        var token = ctx.Request.Headers[ContinuationHeader].FirstOrDefault();
        var filter = new InstanceFilter(statuses, from, to, q["instanceIdPrefix"].FirstOrDefault() is { Length: > 0 } prefix ? prefix : null);
        var page = await client.QueryAsync(filter, Flag(q, "showInput", true), Math.Min(top, MaxPageSize),
            string.IsNullOrEmpty(token) ? null : token, ctx.RequestAborted);
        if (page.ContinuationToken is { } next) ctx.Response.Headers[ContinuationHeader] = next;
        return Results.Json(new JsonArray([.. page.Instances.Select(s => (JsonNode)StatusJson.Status(s))]), Json);
    }

    public async Task<IResult> GetAsync(HttpContext ctx, string id)
    {
        var q = ctx.Request.Query;
        var state = await client.GetAsync(id, Flag(q, "showInput", true));
        if (state is null) return Results.NotFound();
        JsonArray? history = null;
        if (Flag(q, "showHistory", false) && state.OrchestrationStatus != OrchestrationStatus.Pending)
            history = StatusJson.History(await client.GetHistoryJsonAsync(state), Flag(q, "showHistoryOutput", false));
        var body = StatusJson.Status(state, history);
        switch (state.OrchestrationStatus)
        {
            case OrchestrationStatus.Running or OrchestrationStatus.Pending or OrchestrationStatus.ContinuedAsNew or OrchestrationStatus.Suspended:
                // Still going: point the caller back here and ask it not to poll in a tight loop.
                ctx.Response.Headers.Location = $"{ctx.Request.Scheme}://{ctx.Request.Host}{ctx.Request.PathBase}{ctx.Request.Path}{QueryWithoutKey(ctx.Request)}";
                ctx.Response.Headers.RetryAfter = "5";
                return Results.Json(body, Json, statusCode: StatusCodes.Status202Accepted);
            case OrchestrationStatus.Failed when Flag(q, "returnInternalServerErrorOnFailure", false):
                return Results.Json(body, Json, statusCode: StatusCodes.Status500InternalServerError);
            default:
                return Results.Json(body, Json);
        }
    }

    public async Task<IResult> RaiseEventAsync(HttpContext ctx, string id, string eventName)
    {
        var state = await client.GetAsync(id, fetchInput: false);
        if (state is null) return Results.NotFound();
        if (IsFinished(state.OrchestrationStatus)) return Results.StatusCode(StatusCodes.Status410Gone);
        if (!IsJson(ctx.Request)) return Results.BadRequest("Only application/json request content is supported.");
        var (ok, payload) = await ReadJsonAsync(ctx.Request, ctx.RequestAborted);
        if (!ok) return Results.BadRequest("Invalid JSON content.");
        await client.RaiseEventAsync(id, eventName, payload);
        return Results.Accepted();
    }

    public async Task<IResult> TerminateAsync(HttpContext ctx, string id)
    {
        var state = await client.GetAsync(id, fetchInput: false);
        if (state is null) return Results.NotFound();
        if (IsFinished(state.OrchestrationStatus)) return Results.StatusCode(StatusCodes.Status410Gone);
        await client.TerminateAsync(id, ctx.Request.Query["reason"].FirstOrDefault());
        return Results.Accepted();
    }

    public async Task<IResult> PurgeAsync(string id)
    {
        // Entities ('@' ids) always show as running, so the terminal-state rule applies to orchestrations only.
        if (!id.StartsWith('@'))
        {
            var state = await client.GetAsync(id, fetchInput: false);
            if (state is null) return Results.NotFound();
            if (!IsFinished(state.OrchestrationStatus))
                return Results.Text($"Only orchestrations in a terminal state can be purged; {id} is {state.OrchestrationStatus}.",
                    statusCode: StatusCodes.Status412PreconditionFailed);
        }
        return Results.Json(new { instancesDeleted = await client.PurgeAsync(id) }, Json);
    }

    public async Task<IResult> PurgeByFilterAsync(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        if (!TryTime(q["createdTimeFrom"], out var from) || from is null)
            return Results.BadRequest("Please provide value for 'createdTimeFrom' parameter.");
        if (!TryTime(q["createdTimeTo"], out var to)) return Results.BadRequest("createdTimeTo must be an ISO 8601 time.");
        if (!TryStatuses(q["runtimeStatus"], out var statuses, out var bad)) return Results.BadRequest($"Unknown runtimeStatus '{bad}'.");
        var deleted = await client.PurgeAsync(from.Value.UtcDateTime, (to ?? DateTimeOffset.UtcNow).UtcDateTime, statuses);
        return deleted == 0 ? Results.NotFound() : Results.Json(new { instancesDeleted = deleted }, Json);
    }

    /// <summary>The request's query for the Location header, less the key: a key given as <c>?code=</c> must not come
    /// back in a response.</summary>
    private static QueryString QueryWithoutKey(HttpRequest request) =>
        QueryString.Create(request.Query.Where(p => !p.Key.Equals(ManagementEndpoints.KeyQuery, StringComparison.OrdinalIgnoreCase)));

    private static bool IsFinished(OrchestrationStatus s) =>
        s is OrchestrationStatus.Completed or OrchestrationStatus.Failed or OrchestrationStatus.Terminated or OrchestrationStatus.Canceled;

    internal static bool IsJson(HttpRequest request) =>
        string.Equals(request.ContentType?.Split(';')[0].Trim(), "application/json", StringComparison.OrdinalIgnoreCase);

    /// <summary>The body as JSON; an empty body is no payload.</summary>
    internal static async Task<(bool Ok, JsonElement? Payload)> ReadJsonAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(ct);
        if (string.IsNullOrWhiteSpace(text)) return (true, null);
        try
        {
            using var doc = JsonDocument.Parse(text);
            return (true, doc.RootElement.Clone());
        }
        catch (JsonException)
        {
            return (false, null);
        }
    }

    private static bool TryStatuses(StringValues values, out IReadOnlyList<OrchestrationStatus>? statuses, out string? bad)
    {
        statuses = null;
        bad = null;
        var list = new List<OrchestrationStatus>();
        foreach (var s in values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            if (!Enum.TryParse<OrchestrationStatus>(s, ignoreCase: true, out var parsed) || int.TryParse(s, CultureInfo.InvariantCulture, out _))
            {
                bad = s;
                return false;
            }
            list.Add(parsed);
        }
        if (list.Count > 0) statuses = list;
        return true;
    }

    private static bool TryTime(StringValues value, out DateTimeOffset? time)
    {
        time = null;
        if (value.FirstOrDefault() is not { Length: > 0 } text) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        time = parsed;
        return true;
    }

    private static bool Flag(IQueryCollection q, string name, bool fallback) =>
        bool.TryParse(q[name].FirstOrDefault(), out var value) ? value : fallback;
}
