using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable.Storage;

/// <summary>What this process delivers to itself instead of through a queue, for the partitions its worker owns.</summary>
/// <remarks>
/// <para><b>Timers.</b> A durable timer of an owned instance fires from an in-process timer instead of a delayed queue
/// message. The instance row's deadline stays the durable record: if the process dies, the sweeper finds the deadline
/// overdue and fires it; if the partition moves meanwhile, the timer goes to the queue when due, for the new owner.
/// The emulator's queue service scans every message it holds on every request, so thousands of delayed timer messages
/// slowed every step; a storage account bills each of them three times (send, receive, delete).</para>
/// <para><b>Level-triggered signals.</b> A signal marked <see cref="ControlMessage.Coalesce"/> (an object changed: look
/// again) is not sent while another for the same instance is already queued and its step has not begun: a step that
/// begins later reads everything the skipped one would have made it read. That is a controller work queue's rule (a key
/// already queued is not queued twice), and under a backlog it turns a burst of changes into one step. If the queued
/// signal's step then runs nothing (it was a duplicate of one already handled), the skipped signal is sent after all.</para>
/// Both change how often a step runs, never whether it runs.
/// </remarks>
internal sealed class LocalDelivery(int partitions, TimeProvider time)
{
    /// <summary>A queued signal older than this no longer holds back others (belt and braces: its step may be lost
    /// to a process that is gone).</summary>
    public static readonly TimeSpan PendingLifetime = TimeSpan.FromMinutes(2);

    private readonly object _gate = new();
    private readonly bool[] _owned = new bool[partitions];
    private readonly Dictionary<string, ScheduledTimer> _timers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _firing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PendingSignal> _pending = new(StringComparer.Ordinal);
    private Func<ControlMessage, Task>? _deliver;
    private Func<ControlMessage, Task>? _forward;

    /// <summary>Called when a signal was not sent because one is already queued.</summary>
    public Action<string>? OnCoalesced { get; set; }

    public int ScheduledTimers
    {
        get
        {
            lock (_gate) return _timers.Count;
        }
    }

    /// <summary>The worker: <paramref name="deliver"/> runs a due timer's step here; <paramref name="forward"/> puts a
    /// message on its queue (a partition given up meanwhile).</summary>
    public void Attach(Func<ControlMessage, Task> deliver, Func<ControlMessage, Task> forward)
    {
        lock (_gate)
        {
            _deliver = deliver;
            _forward = forward;
        }
    }

    /// <summary>The partitions this process's worker polls now. Queued signals of a partition given up no longer
    /// hold anything back (another process will begin their steps, unseen from here).</summary>
    public void SetOwned(IReadOnlyCollection<int> owned)
    {
        lock (_gate)
        {
            for (var p = 0; p < _owned.Length; p++)
            {
                var now = owned.Contains(p);
                if (_owned[p] && !now)
                {
                    foreach (var id in _pending.Keys.Where(id => InstanceIds.PartitionOf(id, _owned.Length) == p).ToList())
                        _pending.Remove(id);
                }
                _owned[p] = now;
            }
        }
    }

    private bool Owns(string instanceId) => _deliver is not null && _owned[InstanceIds.PartitionOf(instanceId, _owned.Length)];

    /// <summary>Keeps a timer of an owned instance in this process; false when it must go to the queue.</summary>
    public bool TrySchedule(ControlMessage timer, TimeSpan delay)
    {
        lock (_gate)
        {
            if (!Owns(timer.InstanceId)) return false;
            if (_timers.Remove(timer.InstanceId, out var previous)) previous.Timer.Dispose();
            var entry = new ScheduledTimer(timer);
            _timers[timer.InstanceId] = entry;
            entry.Timer = time.CreateTimer(_ => Fire(entry), null, delay > TimeSpan.Zero ? delay : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
            return true;
        }
    }

    private void Fire(ScheduledTimer entry)
    {
        Func<ControlMessage, Task>? run;
        var id = entry.Message.InstanceId;
        lock (_gate)
        {
            if (!_timers.TryGetValue(id, out var current) || !ReferenceEquals(current, entry)) return;
            _timers.Remove(id);
            entry.Timer.Dispose();
            run = Owns(id) ? _deliver : _forward;
            if (run is not null) _firing[id] = _firing.GetValueOrDefault(id) + 1;
        }
        // Both swallow their failures (the sweeper is the net under them).
        if (run is not null) _ = RunAsync(run, entry.Message);
    }

    private async Task RunAsync(Func<ControlMessage, Task> run, ControlMessage timer)
    {
        try
        {
            await run(timer);
        }
        finally
        {
            lock (_gate)
            {
                if (_firing.TryGetValue(timer.InstanceId, out var n) && n > 1) _firing[timer.InstanceId] = n - 1;
                else _firing.Remove(timer.InstanceId);
            }
        }
    }

    /// <summary>Whether this process holds the instance's timer: scheduled here, or due and waiting for a step slot or
    /// running. The sweeper leaves such deadlines alone however late they are: a nudge through the queue would only
    /// add a message (and, in a busy fleet where due timers wait minutes for a slot, thousands of them).</summary>
    public bool Holds(string instanceId)
    {
        lock (_gate) return _timers.ContainsKey(instanceId) || _firing.ContainsKey(instanceId);
    }

    /// <summary>Takes every timer still waiting (the worker is stopping): they go to the queue with their remaining delay.</summary>
    public IReadOnlyList<ControlMessage> DrainTimers()
    {
        lock (_gate)
        {
            var all = _timers.Values.Select(t => t.Message).ToList();
            foreach (var t in _timers.Values) t.Timer.Dispose();
            _timers.Clear();
            return all;
        }
    }

    /// <summary>Decides whether to send a coalescing signal: false when one for its instance is already queued and
    /// not begun (the signal is remembered as skipped); true otherwise (call <see cref="Sent"/> or
    /// <see cref="SendFailed"/> after sending).</summary>
    public bool ShouldSend(ControlMessage signal)
    {
        lock (_gate)
        {
            if (!signal.Coalesce || !Owns(signal.InstanceId)) return true;
            var now = time.GetUtcNow();
            if (_pending.TryGetValue(signal.InstanceId, out var queued))
            {
                // One still being sent may yet fail: only one known to be queued holds others back.
                if (!queued.Queued) return true;
                if (now - queued.At < PendingLifetime)
                {
                    queued.Skipped = signal;
                    OnCoalesced?.Invoke(signal.InstanceId);
                    return false;
                }
            }
            _pending[signal.InstanceId] = new PendingSignal(signal.Id, now);
            return true;
        }
    }

    /// <summary>The signal is on its queue (unless its step began meanwhile, which already took it off the books).</summary>
    public void Sent(ControlMessage signal)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(signal.InstanceId, out var p) && p.MessageId == signal.Id) p.Queued = true;
        }
    }

    public void SendFailed(ControlMessage signal)
    {
        lock (_gate)
        {
            if (_pending.TryGetValue(signal.InstanceId, out var p) && p.MessageId == signal.Id) _pending.Remove(signal.InstanceId);
        }
    }

    /// <summary>A step of the instance begins: from here on it reads fresh state, so nothing queued before holds back
    /// later signals. Returns the last signal skipped on the strength of a queued one, which the caller sends if the
    /// step runs no event after all.</summary>
    public ControlMessage? Begin(string instanceId)
    {
        lock (_gate)
        {
            return _pending.Remove(instanceId, out var p) ? p.Skipped : null;
        }
    }

    private sealed class ScheduledTimer(ControlMessage message)
    {
        public ControlMessage Message { get; } = message;
        public ITimer Timer { get; set; } = null!;
    }

    private sealed class PendingSignal(string messageId, DateTimeOffset at)
    {
        public string MessageId { get; } = messageId;
        public DateTimeOffset At { get; } = at;
        public bool Queued { get; set; }
        public ControlMessage? Skipped { get; set; }
    }
}
