using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Reconcilers.Hosting;

namespace ServerlessCapi.Functions.Provisioning;

/// <summary>Timer <c>probe</c> (every minute by default, setting <c>ProbeSchedule</c>): one round of
/// <see cref="WorkloadProber"/>, which looks at every workload cluster and wakes the Cluster workflows whose workload
/// cluster changed.</summary>
public sealed class ProbeFunction(IServiceProvider services, ILogger<ProbeFunction> log) : ITimerFunction
{
    public async Task RunAsync(TimerInfo timer, CancellationToken ct)
    {
        if (services.GetService<WorkloadProber>() is not { } prober)
        {
            log.LogWarning("Probe skipped: no management cluster or storage is configured (settings 'Kubeconfig', 'AzureWebJobsStorage')");
            return;
        }
        var round = await prober.RunAsync(ct);
        log.LogDebug("Probed {Probed} workload clusters; woke {Woken} Cluster workflows", round.Probed, round.Woken);
    }
}
