using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Management;

namespace ServerlessCapi.Functions.Provisioning;

/// <summary>Timer <c>purge</c> (hourly by default, setting <c>PurgeSchedule</c>): removes from the task hub the entities
/// of deleted objects and finished orchestrations idle longer than <c>Durable:PurgeRetention</c> (7 days by default).
/// Runs on every instance; a row another instance purged first is simply gone.</summary>
public sealed class PurgeFunction(IServiceProvider services, IConfiguration configuration, TimeProvider time, ILoggerFactory loggers) : ITimerFunction
{
    public async Task RunAsync(TimerInfo timer, CancellationToken ct)
    {
        if (services.GetService<DurableHost>() is not { } host) return;
        var purge = new RetentionPurge(host, RetentionPurge.RetentionFrom(configuration), loggers.CreateLogger<RetentionPurge>());
        var purged = await purge.PurgeAsync(time.GetUtcNow(), ct);
        if (purged > 0) loggers.CreateLogger<PurgeFunction>().LogInformation("Purged {Count} instances older than {Retention}", purged, purge.Retention);
    }
}
