using System.Diagnostics.Metrics;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Hosting;

/// <summary>Sends an object's <c>Changed</c> signal at most once while an earlier one from this process is still
/// waiting for its entity to run here, so a burst of changes to one object costs one control-queue message instead of
/// one per change (every message is a send, a receive and a delete on the queue service, and a backlog of them is what
/// kept a large fleet from converging).</summary>
/// <remarks>
/// A caller whose key already has a signal pending returns only once its change is certain to be seen: either the
/// entity starts a reconcile in this process after the caller arrived (<see cref="RunStarting"/>; a reconcile reads
/// fresh state, so it sees every change made before it started), or, when none starts within the hold, after a fresh
/// signal sent after it arrived is enqueued. So a change is never left with only a signal whose reconcile may already
/// have started, wherever the entity runs, and the caller (the dispatcher, whose queue message is deleted only when
/// this returns) never acknowledges a change before a durable signal or a started reconcile covers it: a crash loses
/// nothing. A signal whose entity runs in another process is simply re-sent after the hold, so at most one goes out per
/// object per hold from each process.
/// </remarks>
public sealed class SignalCoalescer : IObjectSignals
{
    private static readonly Meter Meter = new("ServerlessCapi.Workflows");
    private static readonly Counter<long> Outcomes = Meter.CreateCounter<long>("scapi_workflow_signals_coalesced_total",
        description: "Change signals asked of the task hub, by outcome: sent, covered (a reconcile started here after the change), resent (none started within the hold).");

    private readonly Func<ObjectKey, Task> send;
    private readonly TimeProvider time;
    private readonly Dictionary<string, Pending> pending = new(StringComparer.Ordinal);
    private int sweepAt = MinSweep;
    private const int MinSweep = 1024;

    /// <param name="send">Sends one durable signal (completes when it is enqueued).</param>
    /// <param name="hold">How long a caller waits for the entity to start a reconcile here before a fresh signal is sent.</param>
    public SignalCoalescer(Func<ObjectKey, Task> send, TimeSpan hold, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(hold, TimeSpan.Zero);
        this.send = send;
        Hold = hold;
        this.time = time ?? TimeProvider.System;
    }

    public TimeSpan Hold { get; }

    /// <summary>Signals handed to the task hub so far (each one queue message).</summary>
    public long Sent => Interlocked.Read(ref sent);

    private long sent;

    /// <summary>Keys with a signal sent from this process whose entity has not started a reconcile here since.</summary>
    public int PendingCount
    {
        get { lock (pending) return pending.Count; }
    }

    /// <summary>Called by the entity before its reconcile reads anything: every caller waiting on the key is covered.</summary>
    public void RunStarting(ObjectKey key)
    {
        Pending? covered;
        lock (pending)
        {
            if (!pending.Remove(key.DurableKey, out covered)) return;
        }
        covered.Started.TrySetResult();
    }

    /// <summary>Signals every key at once (each send is one queue message; waits cost nothing).</summary>
    public Task SignalChangedAsync(IReadOnlyCollection<ObjectKey> keys, CancellationToken ct) =>
        keys.Count == 1 ? SignalAsync(keys.First(), ct) : Task.WhenAll(keys.Select(k => SignalAsync(k, ct)));

    /// <summary>Returns when a signal sent after this call is enqueued or a reconcile started after it; throws when a
    /// needed send fails (nothing is acknowledged then).</summary>
    public async Task SignalAsync(ObjectKey key, CancellationToken ct)
    {
        Pending joined;
        Task? sending;
        lock (pending)
        {
            (joined, sending) = JoinOrSend(key);
        }
        if (sending is not null)
        {
            await sending;
            return;
        }

        var left = Hold - time.GetElapsedTime(joined.SentAt);
        if (left > TimeSpan.Zero)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var delay = Task.Delay(left, time, timeout.Token);
            if (await Task.WhenAny(joined.Started.Task, delay) == joined.Started.Task)
            {
                await timeout.CancelAsync();
                Outcomes.Add(1, new KeyValuePair<string, object?>("outcome", "covered"));
                return;
            }
            ct.ThrowIfCancellationRequested();
        }

        lock (pending)
        {
            if (pending.TryGetValue(key.DurableKey, out var current) && !ReferenceEquals(current, joined))
            {
                // Entered after the joined entry left the table, so after this caller arrived: its send covers us.
                sending = current.Sent;
            }
            else
            {
                if (current is not null) pending.Remove(key.DurableKey);
                sending = Start(key, "resent");
            }
        }
        await sending;
    }

    private (Pending Joined, Task? Sending) JoinOrSend(ObjectKey key)
    {
        if (pending.TryGetValue(key.DurableKey, out var existing) && time.GetElapsedTime(existing.SentAt) < Hold)
            return (existing, null);
        if (existing is not null) pending.Remove(key.DurableKey);
        return (null!, Start(key, "sent"));
    }

    // Under the lock: records the key as pending and starts its send; a failed send takes the entry out again so
    // the next change sends afresh (waiters on it fall back to their own send when the hold ends).
    private Task Start(ObjectKey key, string outcome)
    {
        if (pending.Count >= sweepAt) Sweep();
        var entry = new Pending(time.GetTimestamp());
        pending[key.DurableKey] = entry;
        Outcomes.Add(1, new KeyValuePair<string, object?>("outcome", outcome));
        Interlocked.Increment(ref sent);
        entry.Sent = SendAsync(key, entry);
        return entry.Sent;
    }

    private async Task SendAsync(ObjectKey key, Pending entry)
    {
        // Off the caller's lock before the send does any work.
        await Task.Yield();
        try
        {
            await send(key);
        }
        catch
        {
            lock (pending)
            {
                if (pending.TryGetValue(key.DurableKey, out var current) && ReferenceEquals(current, entry)) pending.Remove(key.DurableKey);
            }
            throw;
        }
    }

    // Entries of objects whose entities run elsewhere are never cleared by a reconcile here; once past the hold they
    // only decide that the next change sends afresh, which a missing entry decides too.
    private void Sweep()
    {
        foreach (var (id, entry) in pending.Where(e => time.GetElapsedTime(e.Value.SentAt) >= Hold).ToList())
            pending.Remove(id);
        sweepAt = Math.Max(MinSweep, pending.Count * 2);
    }

    private sealed class Pending(long sentAt)
    {
        public long SentAt { get; } = sentAt;

        public Task Sent { get; set; } = Task.CompletedTask;

        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
