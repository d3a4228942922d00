using System.Globalization;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Kube.Relay;

namespace ServerlessCapi.Functions.Relay;

/// <summary>Resync settings (section <c>Resync</c>).</summary>
public sealed class ResyncOptions
{
    public const string Section = "Resync";

    /// <summary>The most resync events that become visible per second (the rest wait in the queue).</summary>
    public double MaxPerSecond { get; set; } = 20;
}

/// <summary>Timer <c>resync</c>: the level-triggered safety net. Re-enqueues an event for every watched object,
/// spread over time by each message's initial invisibility so the dispatcher sees at most
/// <see cref="ResyncOptions.MaxPerSecond"/> of them per second.</summary>
/// <remarks>Event ids carry the run's time: unlike a relayed duplicate, a resync must reach the workflow
/// even when the object has not changed.</remarks>
public sealed class ResyncFunction(
    IServiceProvider services, StorageAccount storage, IOptions<RelayOptions> relay, IOptions<ResyncOptions> options,
    TimeProvider time, ILogger<ResyncFunction> log) : ITimerFunction
{
    private static readonly TimeSpan MaxVisibilityDelay = TimeSpan.FromDays(6);

    public async Task RunAsync(TimerInfo timer, CancellationToken ct)
    {
        if (services.GetService<IKubernetes>() is not { } client)
        {
            log.LogWarning("Resync skipped: no management cluster is configured (setting 'Kubeconfig')");
            return;
        }
        var queue = storage.Queue(relay.Value.Queue);
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        var now = time.GetUtcNow();
        var stamp = now.ToString("yyyyMMdd'T'HHmmss", CultureInfo.InvariantCulture);
        var perSecond = Math.Max(0.001, options.Value.MaxPerSecond);
        var index = 0;
        foreach (var kind in relay.Value.WatchedKinds)
        {
            var (objects, _) = await ObjectLister.ListAsync(client, kind, ct);
            foreach (var data in objects)
            {
                var delay = TimeSpan.FromSeconds(index++ / perSecond);
                var e = ObjectEvents.Create(relay.Value.ClusterName, kind.Plural, data, now, $"{ObjectEvents.Id(data)}:resync:{stamp}");
                await queue.SendMessageAsync(ObjectEvents.Serialize(e), visibilityTimeout: delay < MaxVisibilityDelay ? delay : MaxVisibilityDelay,
                    cancellationToken: ct);
            }
        }
        log.LogInformation("Resync queued {Count} objects over {Seconds} s", index, (int)(index / perSecond));
    }
}
