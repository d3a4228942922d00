using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace ServerlessCapi.Functions.Registration;

/// <summary>One registered function: its name, trigger settings and how to invoke it.</summary>
/// <remarks>Settings may hold <c>%Setting%</c> references; <see cref="FunctionCatalog"/> resolves them.</remarks>
public abstract record FunctionDescriptor(string Name, Type FunctionType)
{
    /// <summary>The trigger name used in logs and metrics (queue, timer, http).</summary>
    public abstract string Trigger { get; }
}

/// <summary>A queue trigger on <paramref name="QueueName"/>.</summary>
public sealed record QueueFunctionDescriptor(string Name, Type FunctionType, string QueueName, Type MessageType)
    : FunctionDescriptor(Name, FunctionType)
{
    public override string Trigger => "queue";

    internal Func<IServiceProvider, string, QueueMessageInfo, CancellationToken, Task> Invoke { get; private init; } = null!;

    internal static QueueFunctionDescriptor Create<TFunction, TMessage>(string name, string queueName)
        where TFunction : class, IQueueFunction<TMessage> =>
        new(name, typeof(TFunction), queueName, typeof(TMessage))
        {
            Invoke = (services, body, info, ct) =>
                services.GetRequiredService<TFunction>().RunAsync(ReadMessage<TMessage>(body), info, ct),
        };

    private static TMessage ReadMessage<TMessage>(string body)
    {
        if (typeof(TMessage) == typeof(string)) return (TMessage)(object)body;
        return JsonSerializer.Deserialize<TMessage>(body, FunctionJson.Web)
            ?? throw new JsonException($"The message body is not a {typeof(TMessage).Name}.");
    }
}

/// <summary>A timer trigger with a six-field CRON <paramref name="Schedule"/> (seconds first).</summary>
public sealed record TimerFunctionDescriptor(string Name, Type FunctionType, string Schedule, bool RunOnStartup)
    : FunctionDescriptor(Name, FunctionType)
{
    public override string Trigger => "timer";

    internal Func<IServiceProvider, TimerInfo, CancellationToken, Task> Invoke { get; private init; } = null!;

    internal static TimerFunctionDescriptor Create<TFunction>(string name, string schedule, bool runOnStartup)
        where TFunction : class, ITimerFunction =>
        new(name, typeof(TFunction), schedule, runOnStartup)
        {
            Invoke = (services, timer, ct) => services.GetRequiredService<TFunction>().RunAsync(timer, ct),
        };
}

/// <summary>An HTTP trigger at <c>/api/{Route}</c> (or <c>/{Route}</c> when <see cref="AtRoot"/>) for <paramref name="Methods"/>.</summary>
public sealed record HttpFunctionDescriptor(
    string Name, Type FunctionType, IReadOnlyList<string> Methods, string Route, AuthorizationLevel AuthLevel)
    : FunctionDescriptor(Name, FunctionType)
{
    public override string Trigger => "http";

    /// <summary>Served at the root path, outside the route prefix, where a caller fixes the path (CAPI's webhook paths).</summary>
    public bool AtRoot { get; init; }

    internal Func<IServiceProvider, HttpRequest, CancellationToken, Task<IResult>> Invoke { get; private init; } = null!;

    internal static HttpFunctionDescriptor Create<TFunction>(
        string name, IReadOnlyList<string> methods, string route, AuthorizationLevel authLevel, bool atRoot = false)
        where TFunction : class, IHttpFunction =>
        new(name, typeof(TFunction), methods, route, authLevel)
        {
            AtRoot = atRoot,
            Invoke = (services, request, ct) => services.GetRequiredService<TFunction>().RunAsync(request, ct),
        };
}
