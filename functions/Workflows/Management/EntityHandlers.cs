using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace ServerlessCapi.Workflows.Management;

/// <summary>The entity endpoints: list entities (of one name or all), read an entity's state (404 when it does not
/// exist) and signal it an operation (202). As in Durable Functions, the key <c>$</c> stands for the empty key and
/// DELETE signals <c>delete</c>.</summary>
internal sealed class EntityHandlers(TaskHubManagementClient client)
{
    private const string EmptyKey = "$";
    private const int DefaultPageSize = 100;
    private const int MaxPageSize = 1000;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Existing entities as <c>[{entityId: {name, key}, lastOperationTime, state}]</c>; filters
    /// <c>lastOperationTimeFrom</c>/<c>To</c>, <c>top</c>, <c>fetchState</c>, continuation in the header.</summary>
    public async Task<IResult> ListAsync(HttpContext ctx, string? name)
    {
        var q = ctx.Request.Query;
        if (!TryTime(q["lastOperationTimeFrom"], out var from) || !TryTime(q["lastOperationTimeTo"], out var to))
            return Results.BadRequest("lastOperationTimeFrom and lastOperationTimeTo must be ISO 8601 times.");
        var top = DefaultPageSize;
        if (q["top"].FirstOrDefault() is { Length: > 0 } topText
            && (!int.TryParse(topText, NumberStyles.None, CultureInfo.InvariantCulture, out top) || top < 1))
            return Results.BadRequest("top must be a positive number.");
        var fetchState = bool.TryParse(q["fetchState"].FirstOrDefault(), out var f) && f;
        var token = ctx.Request.Headers[InstanceHandlers.ContinuationHeader].FirstOrDefault();
        var page = await client.QueryEntitiesAsync(string.IsNullOrEmpty(name) ? null : name, fetchState, from, to, Math.Min(top, MaxPageSize),
            string.IsNullOrEmpty(token) ? null : token, ctx.RequestAborted);
        if (page.ContinuationToken is { } next) ctx.Response.Headers[InstanceHandlers.ContinuationHeader] = next;
        return Results.Json(new JsonArray([.. page.Entities.Select(e => (JsonNode)new JsonObject
        {
            ["entityId"] = new JsonObject { ["name"] = e.EntityId.Name, ["key"] = e.EntityId.Key },
            ["lastOperationTime"] = StatusJson.Time(e.LastModifiedTime),
            ["state"] = fetchState ? StatusJson.Payload(e.SerializedState) : null,
        })]), Json);
    }

    public async Task<IResult> GetAsync(HttpContext ctx, string name, string key)
    {
        var state = await client.GetEntityStateAsync(name, Key(key), ctx.RequestAborted);
        // The state is the entity's own JSON; it is passed through as is.
        return state is null ? Results.NotFound() : Results.Text(state, "application/json; charset=utf-8");
    }

    public async Task<IResult> SignalAsync(HttpContext ctx, string name, string key)
    {
        var operation = ctx.Request.Query["op"].FirstOrDefault() ?? string.Empty;
        return await SignalAsync(ctx, name, key, operation);
    }

    public Task<IResult> DeleteAsync(HttpContext ctx, string name, string key) => SignalAsync(ctx, name, key, "delete");

    private async Task<IResult> SignalAsync(HttpContext ctx, string name, string key, string operation)
    {
        object? input;
        if (InstanceHandlers.IsJson(ctx.Request))
        {
            var (ok, json) = await InstanceHandlers.ReadJsonAsync(ctx.Request, ctx.RequestAborted);
            if (!ok) return Results.BadRequest("Could not parse JSON content.");
            input = json;
        }
        else
        {
            // Any other content is the operation's input as a string, as Durable Functions passes it.
            using var reader = new StreamReader(ctx.Request.Body);
            var text = await reader.ReadToEndAsync(ctx.RequestAborted);
            input = text.Length == 0 ? null : text;
        }
        await client.SignalEntityAsync(name, Key(key), operation, input);
        return Results.Accepted();
    }

    private static bool TryTime(Microsoft.Extensions.Primitives.StringValues value, out DateTime? time)
    {
        time = null;
        if (value.FirstOrDefault() is not { Length: > 0 } text) return true;
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)) return false;
        time = parsed.UtcDateTime;
        return true;
    }

    private static string Key(string key) => key == EmptyKey ? string.Empty : key;
}
