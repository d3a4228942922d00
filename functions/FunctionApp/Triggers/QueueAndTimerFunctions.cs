using Azure.Storage.Queues.Models;
using Microsoft.Azure.Functions.Worker;
using ServerlessCapi.Functions;
using ServerlessCapi.Functions.Dispatch;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Provisioning;
using ServerlessCapi.Functions.Relay;

namespace ServerlessCapi.FunctionApp.Triggers;

/// <summary>The event path and the schedules: the dispatcher on <c>capi-events</c>, the relay, resync, probe and purge timers
/// (schedules from the same settings as the standalone host).</summary>
public static class QueueAndTimerFunctions
{
    /// <summary>A failure throws: the host makes the message visible again after <c>visibilityTimeout</c> and moves it
    /// to <c>capi-events-poison</c> after <c>maxDequeueCount</c> attempts.</summary>
    [Function("dispatch")]
    public static Task Dispatch(
        [QueueTrigger(AppFunctions.EventsQueue, Connection = StorageAccount.ConnectionSetting)] QueueMessage message, FunctionContext context) =>
        Invoke.QueueAsync<DispatchObjectEvent>(AppFunctions.EventsQueue, message, context);

    /// <summary>Each run watches for a bounded slice under the relay lease, then checkpoints.</summary>
    [Function("relay")]
    public static Task Relay([TimerTrigger("%RelaySchedule%")] TimerInfo timer, FunctionContext context) =>
        Invoke.TimerAsync<RelayTimer>(timer, context);

    [Function("resync")]
    public static Task Resync([TimerTrigger("%ResyncSchedule%")] TimerInfo timer, FunctionContext context) =>
        Invoke.TimerAsync<ResyncFunction>(timer, context);

    [Function("probe")]
    public static Task Probe([TimerTrigger("%ProbeSchedule%")] TimerInfo timer, FunctionContext context) =>
        Invoke.TimerAsync<ProbeFunction>(timer, context);

    [Function("purge")]
    public static Task Purge([TimerTrigger("%PurgeSchedule%")] TimerInfo timer, FunctionContext context) =>
        Invoke.TimerAsync<PurgeFunction>(timer, context);
}
