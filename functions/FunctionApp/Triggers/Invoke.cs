using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Registration;
using AppTimerInfo = ServerlessCapi.Functions.Registration.TimerInfo;
using WorkerTimerInfo = Microsoft.Azure.Functions.Worker.TimerInfo;

namespace ServerlessCapi.FunctionApp.Triggers;

/// <summary>Hands a trigger's payload to the class the standalone host runs for the same function, resolved from the
/// invocation's scope.</summary>
internal static class Invoke
{
    public static async Task<IActionResult> HttpAsync<TFunction>(HttpRequest request, FunctionContext context)
        where TFunction : IHttpFunction
    {
        var function = context.InstanceServices.GetRequiredService<TFunction>();
        return new ResultAction(await function.RunAsync(request, context.CancellationToken));
    }

    public static Task TimerAsync<TFunction>(WorkerTimerInfo timer, FunctionContext context)
        where TFunction : ITimerFunction
    {
        var status = timer.ScheduleStatus is { } s
            ? new TimerScheduleStatus(new DateTimeOffset(s.Last), new DateTimeOffset(s.Next), new DateTimeOffset(s.LastUpdated))
            : null;
        var function = context.InstanceServices.GetRequiredService<TFunction>();
        return function.RunAsync(new AppTimerInfo(status, timer.IsPastDue), context.CancellationToken);
    }

    public static Task QueueAsync<TFunction>(string queue, Azure.Storage.Queues.Models.QueueMessage message, FunctionContext context)
        where TFunction : IQueueFunction<string>
    {
        var info = new QueueMessageInfo(queue, message.MessageId, message.DequeueCount, message.InsertedOn, message.ExpiresOn,
            message.NextVisibleOn, message.PopReceipt);
        var function = context.InstanceServices.GetRequiredService<TFunction>();
        return function.RunAsync(message.Body.ToString(), info, context.CancellationToken);
    }

    /// <summary>The shared classes answer with minimal-API results; the worker's ASP.NET Core integration executes
    /// action results, so this runs the one inside the other.</summary>
    private sealed class ResultAction(IResult result) : IActionResult
    {
        public Task ExecuteResultAsync(ActionContext context) => result.ExecuteAsync(context.HttpContext);
    }
}
