using Microsoft.AspNetCore.Http;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Tests.Support;

public sealed record Order(string Id, int Quantity);

public sealed record QueueCall(string Body, QueueMessageInfo Info);

public sealed record OrderCall(Order Order, QueueMessageInfo Info);

public sealed record TimerCall(string Instance, TimerInfo Info, DateTimeOffset At);

/// <summary>Names the app instance a call ran on (tests with two instances).</summary>
public sealed record InstanceTag(string Name);

/// <summary>Holds handlers until the test lets them go.</summary>
public sealed class Gate
{
    private readonly SemaphoreSlim _permits = new(0);

    public Task WaitAsync(CancellationToken ct) => _permits.WaitAsync(ct);

    public void Release(int count) => _permits.Release(count);
}

public sealed class RecordString(Recorder recorder) : IQueueFunction<string>
{
    public Task RunAsync(string message, QueueMessageInfo info, CancellationToken ct)
    {
        recorder.Record(new QueueCall(message, info));
        return Task.CompletedTask;
    }
}

public sealed class RecordOrder(Recorder recorder) : IQueueFunction<Order>
{
    public Task RunAsync(Order message, QueueMessageInfo info, CancellationToken ct)
    {
        recorder.Record(new OrderCall(message, info));
        return Task.CompletedTask;
    }
}

public sealed class AlwaysFails(Recorder recorder) : IQueueFunction<string>
{
    public Task RunAsync(string message, QueueMessageInfo info, CancellationToken ct)
    {
        recorder.Record(new QueueCall(message, info));
        throw new InvalidOperationException("secret detail that must not leave the process");
    }
}

/// <summary>Counts itself as running until the gate lets it finish, then records the message.</summary>
public sealed class Gated(Recorder recorder, Gate gate) : IQueueFunction<string>
{
    public async Task RunAsync(string message, QueueMessageInfo info, CancellationToken ct)
    {
        using (recorder.Enter())
            await gate.WaitAsync(ct);
        recorder.Record(new QueueCall(message, info));
    }
}

/// <summary>Records its start, then holds the message until the gate opens.</summary>
public sealed class LongRunning(Recorder recorder, Gate gate) : IQueueFunction<string>
{
    public async Task RunAsync(string message, QueueMessageInfo info, CancellationToken ct)
    {
        recorder.Record(new QueueCall(message, info));
        await gate.WaitAsync(ct);
    }
}

public sealed class Tick(Recorder recorder, InstanceTag instance, TimeProvider time) : ITimerFunction
{
    public Task RunAsync(TimerInfo timer, CancellationToken ct)
    {
        recorder.Record(new TimerCall(instance.Name, timer, time.GetUtcNow()));
        return Task.CompletedTask;
    }
}

public sealed class Echo : IHttpFunction
{
    public async Task<IResult> RunAsync(HttpRequest request, CancellationToken ct)
    {
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(ct);
        return Results.Json(new
        {
            name = request.RouteValues["name"]?.ToString(),
            x = request.Query["x"].ToString(),
            method = request.Method,
            body,
        });
    }
}

public sealed class AdminOnly : IHttpFunction
{
    public Task<IResult> RunAsync(HttpRequest request, CancellationToken ct) => Task.FromResult(Results.Text("admin"));
}

public sealed class Throws : IHttpFunction
{
    public Task<IResult> RunAsync(HttpRequest request, CancellationToken ct) =>
        throw new InvalidOperationException("secret detail that must not leave the process");
}
