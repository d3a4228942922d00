using Microsoft.AspNetCore.Http;

namespace ServerlessCapi.Functions.Registration;

/// <summary>A queue-triggered function: one message in, success or an exception out.</summary>
/// <typeparam name="TMessage"><see cref="string"/> for the raw body; any other type is read as JSON.</typeparam>
/// <remarks>An exception leaves the message to reappear after <c>visibilityTimeout</c>; after
/// <c>maxDequeueCount</c> failed attempts it moves to <c>&lt;queue&gt;-poison</c>. Handlers must therefore be
/// idempotent: a message can be delivered more than once.</remarks>
public interface IQueueFunction<in TMessage>
{
    Task RunAsync(TMessage message, QueueMessageInfo info, CancellationToken ct);
}

/// <summary>A timer-triggered function; runs on one instance at a time per occurrence.</summary>
public interface ITimerFunction
{
    Task RunAsync(TimerInfo timer, CancellationToken ct);
}

/// <summary>An HTTP-triggered function served under <c>/api/{route}</c>.</summary>
public interface IHttpFunction
{
    Task<IResult> RunAsync(HttpRequest request, CancellationToken ct);
}

/// <summary>Metadata of a queue message (the names the Functions host uses).</summary>
public sealed record QueueMessageInfo(
    string QueueName,
    string Id,
    long DequeueCount,
    DateTimeOffset? InsertionTime,
    DateTimeOffset? ExpirationTime,
    DateTimeOffset? NextVisibleTime,
    string? PopReceipt);

/// <summary>What a timer function learns about its run (the shape of Azure Functions' TimerInfo).</summary>
/// <param name="IsPastDue">True when this run catches up an occurrence missed while no instance ran it.</param>
public sealed record TimerInfo(TimerScheduleStatus? ScheduleStatus, bool IsPastDue)
{
    /// <summary>Always present in the Functions payload; kept for shape compatibility.</summary>
    public TimerSchedule Schedule { get; init; } = new();
}

/// <summary>The schedule description in the Functions payload.</summary>
public sealed record TimerSchedule
{
    public bool AdjustForDST { get; init; }
}

/// <summary>Last and next occurrence as recorded durably for the timer.</summary>
public sealed record TimerScheduleStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);

/// <summary>Who may call an HTTP function (the Functions names).</summary>
public enum AuthorizationLevel
{
    /// <summary>No key.</summary>
    Anonymous,
    /// <summary>A function key, the default host key, or the master key.</summary>
    Function,
    /// <summary>The master key only.</summary>
    Admin,
}
