using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Timers;

/// <summary>Runs one <see cref="TimerRunner"/> per timer-triggered function (standalone mode).</summary>
public sealed class TimerScheduler : BackgroundService
{
    public TimerScheduler(
        FunctionCatalog catalog, StorageAccount storage, IOptions<FunctionAppOptions> options, FunctionExecutor executor,
        TimeProvider time, ILoggerFactory logs)
    {
        Runners = catalog.Timers
            .Select(f => new TimerRunner(f, storage, options.Value, executor, time,
                logs.CreateLogger($"ServerlessCapi.Functions.Timers.{f.Name}")))
            .ToList();
    }

    public IReadOnlyList<TimerRunner> Runners { get; }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(Runners.Select(r => Task.Run(() => r.RunAsync(stoppingToken), CancellationToken.None)));
}
