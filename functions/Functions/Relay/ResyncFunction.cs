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

    /// <summary>Re-send every object (Cluster API's periodic resync). Off by default: only objects whose current
    /// version the relay has not delivered are re-sent, so an idle fleet costs nothing here whatever its size; the
    /// workflows' own timers (health probes, safety nets) are the periodic floor.</summary>
    public bool Full { get; set; }
}

/// <summary>Timer <c>resync</c>: the level-triggered safety net. Re-enqueues an event for every watched object the relay
/// has not delivered at its current version (every object with <see cref="ResyncOptions.Full"/>), in batches of about
/// a second's worth, each made visible a second after the one before (by its initial invisibility), so the dispatcher
/// sees at most <see cref="ResyncOptions.MaxPerSecond"/> of them per second.</summary>
/// <remarks>Event ids carry the run's time: unlike a relayed duplicate, a resync must reach the workflow
/// even when the object has not changed. While a fleet is busy many objects are newer than what the relay has
/// checkpointed (their events are on the way), so a run can hold thousands of events: one message each made every
/// queue request of the emulator slower and kept the dispatcher busy with single events, and sending them one by one
/// took longer than the run's interval.</remarks>
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
        var skipped = 0;
        var events = new List<Azure.Messaging.CloudEvent>();
        var checkpoints = new RelayCheckpointStore(storage.Table(relay.Value.CheckpointTable), relay.Value.ClusterName);
        foreach (var kind in relay.Value.WatchedKinds)
        {
            var (objects, _) = await ObjectLister.ListAsync(client, kind, ct);
            var delivered = options.Value.Full ? null : (await checkpoints.LoadAsync(kind, ct)).Objects;
            foreach (var data in objects)
            {
                if (delivered is not null && delivered.TryGetValue(data.Uid, out var known) && known.ResourceVersion == data.ResourceVersion)
                {
                    skipped++;
                    continue;
                }
                events.Add(ObjectEvents.Create(relay.Value.ClusterName, kind.Plural, data, now, $"{ObjectEvents.Id(data)}:resync:{stamp}"));
            }
        }
        var perBatch = (int)Math.Clamp(Math.Floor(perSecond), 1, QueueEventSink.MaxBatch);
        var index = 0;
        foreach (var batch in QueueEventSink.Batches(events, perBatch))
        {
            var delay = TimeSpan.FromSeconds(index / perSecond);
            await queue.SendMessageAsync(ObjectEvents.JoinBatch(batch), visibilityTimeout: delay < MaxVisibilityDelay ? delay : MaxVisibilityDelay,
                cancellationToken: ct);
            index += batch.Count;
        }
        log.LogInformation("Resync queued {Count} objects over {Seconds} s ({Skipped} already delivered at their current version)",
            index, (int)(index / perSecond), skipped);
    }
}
