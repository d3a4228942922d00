using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Functions.Metrics;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Hosting;

/// <summary>Runs one invocation in its own DI scope and records its log line and metrics.</summary>
public sealed class FunctionExecutor(IServiceScopeFactory scopes, FunctionMetrics metrics, ILogger<FunctionExecutor> log)
{
    /// <summary>Runs <paramref name="run"/>; rethrows its exception after recording the failure.</summary>
    public async Task<T> ExecuteAsync<T>(FunctionDescriptor function, Func<IServiceProvider, Task<T>> run, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        await using var scope = scopes.CreateAsyncScope();
        try
        {
            var result = await run(scope.ServiceProvider);
            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.Invoked(function.Name, function.Trigger, succeeded: true, elapsed);
            log.LogDebug("Executed {Function} ({Trigger}) in {ElapsedMs} ms", function.Name, function.Trigger, (long)elapsed.TotalMilliseconds);
            return result;
        }
        catch (Exception e)
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            metrics.Invoked(function.Name, function.Trigger, succeeded: false, elapsed);
            if (e is OperationCanceledException && ct.IsCancellationRequested)
                log.LogInformation("Function {Function} was cancelled after {ElapsedMs} ms", function.Name, (long)elapsed.TotalMilliseconds);
            else
                log.LogError(e, "Function {Function} ({Trigger}) failed after {ElapsedMs} ms", function.Name, function.Trigger, (long)elapsed.TotalMilliseconds);
            throw;
        }
    }

    public Task ExecuteAsync(FunctionDescriptor function, Func<IServiceProvider, Task> run, CancellationToken ct) =>
        ExecuteAsync(function, async sp =>
        {
            await run(sp);
            return true;
        }, ct);
}
