using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Kube.Relay;

namespace ServerlessCapi.Functions.Relay;

/// <summary>Runs the relay continuously in the standalone app (active or standby, decided by the lease).</summary>
public sealed class RelayHost(IServiceProvider services, IOptions<RelayOptions> options, ILogger<RelayHost> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Mode != RelayMode.Continuous) return;
        if (services.GetService<WatchRelay>() is not { } relay)
        {
            log.LogWarning("The watch relay is off: no management cluster is configured (setting 'Kubeconfig')");
            return;
        }
        await relay.RunContinuousAsync(stoppingToken);
    }
}

/// <summary>Timer <c>relay</c>: in bounded mode, relays for at most <see cref="RelayOptions.BoundedDuration"/>
/// per run, then checkpoints (the next run resumes from there).</summary>
public sealed class RelayTimer(IServiceProvider services, IOptions<RelayOptions> options, ILogger<RelayTimer> log)
    : ITimerFunction
{
    public async Task RunAsync(TimerInfo timer, CancellationToken ct)
    {
        if (options.Value.Mode != RelayMode.Bounded) return;
        if (services.GetService<WatchRelay>() is not { } relay)
        {
            log.LogWarning("The watch relay is off: no management cluster is configured (setting 'Kubeconfig')");
            return;
        }
        if (!await relay.RunBoundedAsync(options.Value.BoundedDuration, ct))
            log.LogInformation("Another instance is relaying; this run stands by");
    }
}
