using Microsoft.AspNetCore.Http;

namespace ServerlessCapi.Workflows.Management;

/// <summary>The entity endpoints: read an entity's state (404 when it does not exist) and signal it an operation
/// (202). As in Durable Functions, the key <c>$</c> stands for the empty key and DELETE signals <c>delete</c>.</summary>
internal sealed class EntityHandlers(TaskHubManagementClient client)
{
    private const string EmptyKey = "$";

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

    private static string Key(string key) => key == EmptyKey ? string.Empty : ManagementEndpoints.IdFromRoute(key);
}
