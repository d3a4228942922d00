using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace ServerlessCapi.Durable.Engine;

/// <summary>Applies a group of messages to one instance: load, plan, commit under the ETag, then send what the
/// commit promised. Shared by the storage worker and the in-memory host, so both have the same semantics.</summary>
internal sealed class InstanceProcessor
{
    private const int MaxConflictRetries = 10;
    private const int MaxRoundsInProcess = 50;
    private readonly IInstanceStore _store;
    private readonly IControlSender _sender;
    private readonly StepPlanner _planner;
    private readonly DurableWorkflowOptions _options;
    private readonly ILogger _logger;
    private readonly KeyedLock _locks = new();
    private readonly Func<string, ControlMessage?>? _beginStep;

    /// <param name="beginStep">Told when a step of an instance begins; returns a signal to send after all if the step
    /// runs no event (one left out on the strength of a queued signal that turned out to be a duplicate).</param>
    public InstanceProcessor(IInstanceStore store, IControlSender sender, WorkflowRegistry registry, DurableWorkflowOptions options, ILogger logger,
        Func<string, ControlMessage?>? beginStep = null)
    {
        _beginStep = beginStep;
        _store = store;
        _sender = sender;
        _options = options;
        _logger = logger;
        _planner = new StepPlanner(registry, options, logger);
    }

    private DateTimeOffset Now => _options.TimeProvider.GetUtcNow();

    /// <summary>Processes the messages; returns normally once their effect is committed (or they are moot), so the
    /// caller may delete them. Throws when they should be redelivered.</summary>
    public async Task ProcessAsync(string instanceId, IReadOnlyList<ControlMessage> messages, CancellationToken ct)
    {
        using var held = await _locks.AcquireAsync(instanceId, ct);
        var skipped = _beginStep?.Invoke(instanceId);
        var ran = false;
        try
        {
            var pending = messages;
            for (var round = 0; round < MaxRoundsInProcess; round++)
            {
                var (committed, eventsRun) = await ProcessRoundAsync(instanceId, pending, ct);
                ran |= eventsRun > 0;
                if (committed is null || !NeedsAnotherRound(committed, Now)) return;
                // Follow-up rounds carry no messages: a deadline already due, or events left over from a full batch.
                pending = [];
            }
            // A workflow that keeps asking to run again at once: hand over to the queue so other instances get a turn.
            await _sender.SendAsync(WakeMessage(instanceId, Now), TimeSpan.Zero, CancellationToken.None);
        }
        finally
        {
            // A change was left unsent because this instance had a signal queued; that signal ran nothing (a duplicate,
            // or the step failed and its redelivery may be one): send the change now, so a step still looks at it.
            if (skipped is not null && !ran) await ResendSkippedAsync(skipped);
        }
    }

    private async Task ResendSkippedAsync(ControlMessage skipped)
    {
        try
        {
            await _sender.SendAsync(skipped with { SentAt = Now }, TimeSpan.Zero, CancellationToken.None);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.LogWarning(ex, "Could not re-send signal {MessageId} of {InstanceId}; its change shows at the instance's next step",
                skipped.Id, skipped.InstanceId);
        }
    }

    private static bool NeedsAnotherRound(InstanceRecord rec, DateTimeOffset now) =>
        !rec.IsTerminal && rec.Status != RuntimeStatus.Suspended && rec.NextTimerAt <= now;

    private async Task<(InstanceRecord? Committed, int EventsRun)> ProcessRoundAsync(string instanceId, IReadOnlyList<ControlMessage> messages, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var allowCached = true;
        for (var attempt = 0; ; attempt++)
        {
            var snapshot = await _store.LoadAsync(instanceId, allowCached, ct);
            await WaitForSlightlyEarlyTimerAsync(snapshot, messages, ct);
            var now = Now;
            var plan = await _planner.PlanAsync(instanceId, snapshot, messages, now, ct);
            if (plan.NeedsFreshLoad && allowCached)
            {
                allowCached = false;
                continue;
            }
            if (plan.Commit is null)
            {
                await RearmAsync(plan, now);
                return (null, 0);
            }

            if (await _store.CommitAsync(plan.Commit, ct) == CommitResult.Conflict)
            {
                // Someone else advanced the instance: our step's result is void; redo it against fresh state.
                if (attempt >= MaxConflictRetries)
                    throw new InstanceConflictException(instanceId);
                allowCached = false;
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + (attempt * 20))), ct);
                continue;
            }

            // From here on the step has happened; what it promised is sent even if we are shutting down
            // (anything lost is re-sent by the sweeper).
            await AfterCommitAsync(plan, now);
            var record = plan.Commit.Record;
            _options.OnStepCommitted?.Invoke(new StepMetrics(instanceId, plan.EventsRun, Latency(messages, snapshot, now), clock.Elapsed,
                record.WorkflowName, record.FailedAttempts > 0 || record.Status == RuntimeStatus.Failed));
            return (plan.Commit.Record, plan.EventsRun);
        }
    }

    private async Task AfterCommitAsync(StepPlan plan, DateTimeOffset now)
    {
        var commit = plan.Commit!;
        if (commit.Outbox is { } outbox)
        {
            await _sender.SendManyAsync(outbox.Messages, CancellationToken.None);
            await _store.DeleteOutboxAsync(outbox.InstanceId, outbox.Version, CancellationToken.None);
        }
        if (plan.TimerToArm is { } timer)
            await _sender.SendAsync(timer, StepPlanner.TimerDelay(timer.DueAt!.Value, now), CancellationToken.None);
        await RearmAsync(plan, now);
    }

    private async Task RearmAsync(StepPlan plan, DateTimeOffset now)
    {
        foreach (var m in plan.Rearm)
            await _sender.SendAsync(m with { SentAt = now }, StepPlanner.TimerDelay(m.DueAt!.Value, now), CancellationToken.None);
    }

    /// <summary>Queue clocks and ours differ a little; a timer message up to a second early is waited for here
    /// rather than re-armed through the queue.</summary>
    private async Task WaitForSlightlyEarlyTimerAsync(InstanceSnapshot? snapshot, IReadOnlyList<ControlMessage> messages, CancellationToken ct)
    {
        if (snapshot?.Record.NextTimerAt is not { } due) return;
        var early = due - Now;
        if (early <= TimeSpan.Zero || early > TimeSpan.FromSeconds(1)) return;
        if (messages.Any(m => m.Kind == ControlMessageKind.Timer && m.Generation == snapshot.Record.TimerGeneration))
            await Task.Delay(early, _options.TimeProvider, ct);
    }

    private static TimeSpan? Latency(IReadOnlyList<ControlMessage> messages, InstanceSnapshot? snapshot, DateTimeOffset now)
    {
        DateTimeOffset? since = null;
        foreach (var m in messages)
        {
            var at = m.Kind == ControlMessageKind.Timer && m.DueAt is { } due ? due : m.SentAt;
            if (at != default && (since is null || at < since)) since = at;
        }
        since ??= snapshot?.Record.NextTimerAt;
        return since is { } s && s <= now ? now - s : null;
    }

    /// <summary>Records that a message of this instance went to the poison queue: a failed attempt, visible in
    /// LastError and history; after <see cref="DurableWorkflowOptions.MaxStepAttempts"/> of them the instance fails.</summary>
    public async Task RecordPoisonAsync(ControlMessage message, long dequeueCount, CancellationToken ct)
    {
        using var held = await _locks.AcquireAsync(message.InstanceId, ct);
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var snapshot = await _store.LoadAsync(message.InstanceId, allowCached: false, ct);
            if (snapshot is null || snapshot.Record.IsTerminal) return;
            var now = Now;
            var rec = snapshot.Record.Clone();
            var from = rec.Status;
            rec.FailedAttempts++;
            rec.LastError = $"Message {message.Id} ({message.Kind}{(message.Name is null ? "" : $" {message.Name}")}) failed {dequeueCount} deliveries and was moved to the poison queue.";
            if (_options.MaxStepAttempts is { } limit && rec.FailedAttempts >= limit)
            {
                rec.Status = RuntimeStatus.Failed;
                rec.NextTimerAt = null;
                rec.TimerIsRetry = false;
                rec.PendingEvents.Clear();
            }
            var history = new[] { new HistoryEntry(now, "MessagePoisoned", from.ToString(), rec.Status.ToString(), rec.LastError) };
            var commit = StepPlanner.BuildCommit(rec, snapshot, [], [], history, now, _options);
            if (await _store.CommitAsync(commit, ct) == CommitResult.Committed) return;
        }
    }

    internal static ControlMessage WakeMessage(string instanceId, DateTimeOffset now) => new()
    {
        Id = $"wake|{instanceId}|{Guid.NewGuid():N}",
        InstanceId = instanceId,
        Kind = ControlMessageKind.Wake,
        SentAt = now,
    };
}

/// <summary>An instance kept changing under a step; its messages will be redelivered.</summary>
public sealed class InstanceConflictException(string instanceId)
    : InvalidOperationException($"Instance {instanceId} kept changing while a step was being committed.");
