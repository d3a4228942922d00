using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.CustomHandler;

/// <summary>Serves the Functions host's invocation requests: <c>POST /{functionName}</c> with
/// <c>{"Data":{…},"Metadata":{…}}</c>, answered with <c>{"Outputs":{…},"Logs":[…],"ReturnValue":…}</c>.</summary>
/// <remarks>A failed function answers 500, which the host counts as a failed invocation (and, for queue
/// triggers, retries and dead-letters as it does for any language).</remarks>
public static class CustomHandlerEndpoints
{
    private static readonly JsonSerializerOptions Payload = new() { PropertyNameCaseInsensitive = true };

    // The host expects the documented PascalCase member names (Outputs, Logs, ReturnValue).
    private static readonly JsonSerializerOptions Response = new();

    /// <param name="forwardHttp">True when the host forwards HTTP requests as they are
    /// (<c>enableForwardingHttpRequest</c>): HTTP functions are then served on their normal routes instead.</param>
    public static void MapCustomHandler(this IEndpointRouteBuilder endpoints, FunctionCatalog catalog, bool forwardHttp)
    {
        foreach (var function in catalog.Functions)
        {
            if (function is HttpFunctionDescriptor && forwardHttp) continue;
            Func<HttpContext, Task<IResult>> handler = context => InvokeAsync(context, function);
            endpoints.MapPost("/" + function.Name, handler);
        }
    }

    private static async Task<IResult> InvokeAsync(HttpContext context, FunctionDescriptor function)
    {
        InvocationRequest request;
        try
        {
            request = (await JsonSerializer.DeserializeAsync<InvocationRequest>(context.Request.Body, Payload, context.RequestAborted)
                ?? new InvocationRequest()).Normalize();
        }
        catch (JsonException)
        {
            return Results.Json(new InvocationResponse { Logs = { "The invocation payload is not valid JSON." } }, Response, statusCode: StatusCodes.Status400BadRequest);
        }

        var executor = context.RequestServices.GetRequiredService<FunctionExecutor>();
        var response = new InvocationResponse();
        var ct = context.RequestAborted;
        try
        {
            switch (function)
            {
                case QueueFunctionDescriptor queue:
                    var body = request.DataText(FunctionJsonWriter.QueueBinding) ?? "";
                    var info = new QueueMessageInfo(queue.QueueName, request.MetadataText("Id") ?? "",
                        request.MetadataLong("DequeueCount", 1), request.MetadataTime("InsertionTime"),
                        request.MetadataTime("ExpirationTime"), request.MetadataTime("NextVisibleTime"), request.MetadataText("PopReceipt"));
                    await executor.ExecuteAsync(queue, sp => queue.Invoke(sp, body, info, ct), ct);
                    break;
                case TimerFunctionDescriptor timer:
                    var timerInfo = ReadTimerInfo(request.DataText(FunctionJsonWriter.TimerBinding));
                    await executor.ExecuteAsync(timer, sp => timer.Invoke(sp, timerInfo, ct), ct);
                    break;
                case HttpFunctionDescriptor http:
                    var req = request.DataText(FunctionJsonWriter.HttpRequestBinding) is { } json
                        ? JsonSerializer.Deserialize<HttpRequestData>(json, Payload) ?? new HttpRequestData()
                        : new HttpRequestData();
                    response.Outputs[FunctionJsonWriter.HttpResponseBinding] = await executor.ExecuteAsync(http, async sp =>
                    {
                        var bridged = HttpInvocationBridge.ToContext(req, sp, ct);
                        var result = await http.Invoke(sp, bridged.Request, ct);
                        await result.ExecuteAsync(bridged);
                        return HttpInvocationBridge.ToOutput(bridged);
                    }, ct);
                    break;
            }
            response.Logs.Add($"Executed '{function.Name}' ({function.Trigger}).");
            return Results.Json(response, Response);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // Only the exception type: messages can carry data that must not leave the process.
            response.Logs.Add($"Function '{function.Name}' failed: {e.GetType().Name}.");
            return Results.Json(response, Response, statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static TimerInfo ReadTimerInfo(string? json)
    {
        if (string.IsNullOrWhiteSpace(json)) return new TimerInfo(null, IsPastDue: false);
        try
        {
            return JsonSerializer.Deserialize<TimerInfo>(json, Payload) ?? new TimerInfo(null, IsPastDue: false);
        }
        catch (JsonException)
        {
            // Hosts send "0001-01-01T00:00:00" style times; any we cannot read leave the status unknown.
            using var doc = JsonDocument.Parse(json);
            var pastDue = doc.RootElement.TryGetProperty("IsPastDue", out var p) && p.ValueKind == JsonValueKind.True;
            return new TimerInfo(null, pastDue);
        }
    }
}
