using Azure;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable.Engine;
using ServerlessCapi.Durable.Storage;

namespace ServerlessCapi.Durable.Worker;

/// <summary>The safety net under messages: nudges instances whose deadline passed without their timer message
/// (lost, or never sent because a process died after commit), Pending instances that never got their first step, and
/// re-sends outbox blocks a crashed process left behind. A blob lease makes one worker the sweeper at a time; a
/// second sweeper would only cause duplicate nudges, which are harmless.</summary>
internal sealed class Sweeper(StorageBackend backend, string leaseId, ILogger logger)
{
    private readonly Dictionary<string, (long Generation, DateTimeOffset At, int Times)> _nudged = new(StringComparer.Ordinal);

    public async Task<bool> TryHoldLeaseAsync(CancellationToken ct)
    {
        var lease = backend.Leases.GetBlobClient(StorageNames.SweeperLeaseBlob).GetBlobLeaseClient(leaseId);
        try
        {
            await lease.AcquireAsync(backend.Options.LeaseDuration, cancellationToken: ct);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    /// <summary>One sweep; returns how many messages it sent.</summary>
    public async Task<int> SweepAsync(CancellationToken ct)
    {
        var options = backend.Options;
        var now = options.TimeProvider.GetUtcNow();
        var before = now - options.SweepGrace;
        var sent = 0;
        foreach (var r in await backend.Store.FindOverdueAsync(before, ct))
        {
            // A deadline this process holds is late only because steps are: its timer runs when a slot frees.
            if (r.NextTimerAt is not null && backend.Local.Holds(r.InstanceId)) continue;
            // Give the nudge we sent time to be processed before sending another, longer each time for one deadline
            // (under a backlog the nudge itself waits its turn in the queue).
            var times = 0;
            if (_nudged.TryGetValue(r.InstanceId, out var last) && last.Generation == r.TimerGeneration)
            {
                var wait = (options.VisibilityTimeout + options.SweepGrace) * Math.Pow(2, Math.Min(last.Times - 1, 5));
                if (now - last.At < wait) continue;
                times = last.Times;
            }
            _nudged[r.InstanceId] = (r.TimerGeneration, now, times + 1);
            var message = r.NextTimerAt is { } due
                ? new ControlMessage
                {
                    Id = ControlMessage.TimerId(r.InstanceId, r.TimerGeneration),
                    InstanceId = r.InstanceId,
                    Kind = ControlMessageKind.Timer,
                    Generation = r.TimerGeneration,
                    DueAt = due,
                    SentAt = now,
                }
                : new ControlMessage { Id = ControlMessage.StartId(r.InstanceId), InstanceId = r.InstanceId, Kind = ControlMessageKind.Start, SentAt = now };
            await backend.Sender.SendAsync(message, TimeSpan.Zero, ct);
            sent++;
        }

        foreach (var block in await backend.Store.FindStaleOutboxAsync(before, ct))
        {
            logger.LogInformation("Re-sending {Count} outbox message(s) of {InstanceId} version {Version}",
                block.Messages.Count, block.InstanceId, block.Version);
            foreach (var m in block.Messages) await backend.Sender.SendAsync(m, TimeSpan.Zero, ct);
            await backend.Store.DeleteOutboxAsync(block.InstanceId, block.Version, ct);
            sent += block.Messages.Count;
        }

        if (_nudged.Count > 10_000)
        {
            foreach (var key in _nudged.Where(kv => now - kv.Value.At > options.VisibilityTimeout * 4).Select(kv => kv.Key).ToList())
                _nudged.Remove(key);
        }
        return sent;
    }
}
