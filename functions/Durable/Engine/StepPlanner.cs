using Microsoft.Extensions.Logging;

namespace ServerlessCapi.Durable.Engine;

/// <summary>What processing a group of messages amounts to: a commit (or nothing), and messages to send afterwards.</summary>
internal sealed class StepPlan
{
    public InstanceCommit? Commit { get; set; }

    /// <summary>Timer messages that arrived before their deadline (capped delays): sent again, delayed.</summary>
    public List<ControlMessage> Rearm { get; } = [];

    /// <summary>The decision would drop a message on the word of a cached row that may be stale: read again.</summary>
    public bool NeedsFreshLoad { get; set; }

    /// <summary>The timer message to send once the commit is in (a new deadline was armed).</summary>
    public ControlMessage? TimerToArm { get; set; }

    public int EventsRun { get; set; }
}

/// <summary>Turns an instance snapshot plus a group of messages into one commit: picks the events to run (dedup,
/// stale timers, suspension, backoff), runs the workflow's steps in order, and assembles rows to write.</summary>
internal sealed class StepPlanner(WorkflowRegistry registry, DurableWorkflowOptions options, ILogger logger)
{
    private static readonly TimeSpan MaxQueueDelay = TimeSpan.FromDays(7) - TimeSpan.FromMinutes(1);

    public async Task<StepPlan> PlanAsync(
        string instanceId, InstanceSnapshot? snapshot, IReadOnlyList<ControlMessage> messages, DateTimeOffset now, CancellationToken ct)
    {
        var plan = new StepPlan();
        InstanceRecord rec;
        if (snapshot is null)
        {
            // Only a start, or a signal allowed to start its workflow, brings an instance into being.
            var creator = messages.FirstOrDefault(m => m.Kind == ControlMessageKind.Start && m.Workflow is not null)
                ?? messages.FirstOrDefault(m => m.Kind == ControlMessageKind.Signal && m.Workflow is not null);
            if (creator is null) return plan;
            if (!registry.Contains(creator.Workflow!)) throw new UnknownWorkflowException(creator.Workflow!);
            if (creator.Kind == ControlMessageKind.Signal && !registry.StartsOnSignal(creator.Workflow!)) return plan;
            rec = new InstanceRecord
            {
                InstanceId = instanceId,
                WorkflowName = creator.Workflow!,
                Input = creator.Kind == ControlMessageKind.Start ? creator.Input : null,
                CreatedAt = now,
                UpdatedAt = now,
            };
        }
        else
        {
            rec = snapshot.Record.Clone();
        }

        if (rec.IsTerminal) return plan;

        var consumed = new List<string>();
        var signals = new List<WorkflowEvent>();
        foreach (var m in messages.OrderBy(m => m.SentAt))
        {
            if (m.Kind == ControlMessageKind.Signal)
            {
                if (snapshot?.HasProcessed(m.Id) == true || consumed.Contains(m.Id, StringComparer.Ordinal)) continue;
                consumed.Add(m.Id);
                signals.Add(new WorkflowEvent(WorkflowEventKind.Signal, m.Name, m.Payload, m.Id));
            }
            else if (m.Kind == ControlMessageKind.Timer)
            {
                if (m.Generation == rec.TimerGeneration && rec.NextTimerAt is { } due && due > now)
                {
                    plan.Rearm.Add(m with { DueAt = due });
                    rec.ArmedTimerAt = due;
                }
                else if (snapshot?.FromCache == true && m.Generation > rec.TimerGeneration)
                {
                    // A newer generation than we know of: our cached row is stale, and dropping the message on its
                    // word could lose a timer.
                    plan.NeedsFreshLoad = true;
                    return plan;
                }
            }
        }

        // A due deadline fires whoever brings us here (its timer message, a sweeper nudge, a signal, a resume).
        var timerDue = rec.NextTimerAt is { } deadline && deadline <= now;
        var history = new List<HistoryEntry>();
        var sends = new List<PendingSend>();

        if (rec.Status == RuntimeStatus.Suspended || (rec.TimerIsRetry && !timerDue))
        {
            // Suspended or backing off: keep the events for later, run nothing.
            if (signals.Count == 0) return plan;
            rec.PendingEvents.AddRange(signals);
            TrimPending(rec, history, now);
            history.Add(new HistoryEntry(now, "EventsHeld", rec.Status.ToString(), rec.Status.ToString(),
                $"{string.Join(", ", signals.Select(Label))} held ({(rec.Status == RuntimeStatus.Suspended ? "suspended" : "retry backoff")})"));
            plan.Commit = BuildCommit(rec, snapshot, consumed, sends, history, now, options);
            return plan;
        }

        var run = new List<WorkflowEvent>();
        if (rec.Status == RuntimeStatus.Pending && !rec.PendingEvents.Any(e => e.Kind == WorkflowEventKind.Started))
            run.Add(new WorkflowEvent(WorkflowEventKind.Started, null, null, $"started|{instanceId}"));
        run.AddRange(rec.PendingEvents);
        rec.PendingEvents.Clear();
        if (timerDue)
        {
            if (!rec.TimerIsRetry)
                run.Add(new WorkflowEvent(WorkflowEventKind.TimerFired, null, null, ControlMessage.TimerId(instanceId, rec.TimerGeneration)));
            rec.NextTimerAt = null;
            rec.TimerIsRetry = false;
        }
        run.AddRange(signals);
        if (run.Count == 0) return plan;
        if (run.Count > options.MaxEventsPerStep)
        {
            // The rest stay pending and run in the next round, straight after this commit.
            rec.PendingEvents.AddRange(run.Skip(options.MaxEventsPerStep));
            run.RemoveRange(options.MaxEventsPerStep, run.Count - options.MaxEventsPerStep);
        }

        var previousGeneration = snapshot?.Record.TimerGeneration ?? 0;
        plan.EventsRun = await ExecuteAsync(rec, run, now, history, sends, ct);
        if (rec.PendingEvents.Count > 0 && !rec.IsTerminal && !rec.TimerIsRetry)
            ArmImmediate(rec, now);
        if (rec.TimerGeneration != previousGeneration && rec.NextTimerAt is { } next && next > now)
        {
            plan.TimerToArm = new ControlMessage
            {
                Id = ControlMessage.TimerId(instanceId, rec.TimerGeneration),
                InstanceId = instanceId,
                Kind = ControlMessageKind.Timer,
                Generation = rec.TimerGeneration,
                DueAt = next,
                SentAt = now,
            };
            rec.ArmedTimerAt = next;
            rec.ArmedGeneration = rec.TimerGeneration;
        }
        plan.Commit = BuildCommit(rec, snapshot, consumed, sends, history, now, options);
        return plan;
    }

    /// <summary>Makes pending events due now, as a retry-kind deadline: this process runs them in its next round,
    /// and if it dies first the sweeper finds the overdue deadline. The steps they run set the next real wait.</summary>
    internal static void ArmImmediate(InstanceRecord rec, DateTimeOffset now)
    {
        rec.NextTimerAt = now;
        rec.TimerIsRetry = true;
        rec.TimerGeneration++;
    }

    /// <summary>How long to hide a timer message: until its deadline, at most the queue's 7-day limit (then re-armed).</summary>
    public static TimeSpan TimerDelay(DateTimeOffset due, DateTimeOffset now)
    {
        var delay = due - now;
        if (delay < TimeSpan.Zero) return TimeSpan.Zero;
        return delay > MaxQueueDelay ? MaxQueueDelay : delay;
    }

    private async Task<int> ExecuteAsync(
        InstanceRecord rec, List<WorkflowEvent> run, DateTimeOffset now, List<HistoryEntry> history, List<PendingSend> sends, CancellationToken ct)
    {
        await using var handle = registry.Open(rec.WorkflowName);
        if (handle.Workflow.LevelTriggered) run = Collapse(run);
        var ran = 0;
        for (var i = 0; i < run.Count; i++)
        {
            var e = run[i];
            if (rec.IsTerminal)
            {
                history.Add(new HistoryEntry(now, "EventsDropped", rec.Status.ToString(), rec.Status.ToString(),
                    $"{run.Count - i} event(s) after the instance ended"));
                break;
            }
            var from = rec.Status;
            StepOutput output;
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.StepTimeout);
            try
            {
                output = await handle.Invoker.RunAsync(
                    handle.Workflow, new StepInput(rec.InstanceId, rec.State, rec.Input, now, rec.FailedAttempts, e), options.JsonSerializerOptions,
                    timeout.Token);
                CheckSize(output);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                RecordFailure(rec, run.GetRange(i, run.Count - i), ex, now, history);
                return ran;
            }
            ran++;
            ApplyOutput(rec, output, now);
            sends.AddRange(output.Sends);
            history.Add(new HistoryEntry(now, Label(e), from.ToString(), rec.Status.ToString(), Describe(rec, output)));
        }
        return ran;
    }

    /// <summary>For a level-triggered workflow one run stands for all the events of a step: the Started event keeps its
    /// own run (it may find no input yet), and of the rest the newest one carrying a payload stands in (the payload may
    /// name what the instance is about), else the newest.</summary>
    internal static List<WorkflowEvent> Collapse(List<WorkflowEvent> run)
    {
        var rest = run.Where(e => e.Kind != WorkflowEventKind.Started).ToList();
        if (rest.Count <= 1) return run;
        var keep = rest.LastOrDefault(e => e.Payload is not null) ?? rest[^1];
        return [.. run.Where(e => e.Kind == WorkflowEventKind.Started).Take(1), keep];
    }

    /// <summary>State, custom status and sends live in one table row of at most 1 MiB: a step that outgrows it
    /// fails (and is retried) instead of making every later commit fail.</summary>
    private void CheckSize(StepOutput output)
    {
        var chars = output.StateJson.Length + (output.CustomStatus?.Length ?? 0);
        if (chars > options.MaxStateChars)
            throw new InvalidOperationException($"State and custom status take {chars} characters; the limit is {options.MaxStateChars}.");
        var sent = output.Sends.Sum(m => (m.Payload?.Length ?? 0) + (m.Input?.Length ?? 0));
        if (sent > options.MaxStateChars)
            throw new InvalidOperationException($"The step's messages take {sent} characters; the limit is {options.MaxStateChars}.");
    }

    private static void ApplyOutput(InstanceRecord rec, StepOutput output, DateTimeOffset now)
    {
        rec.State = output.StateJson;
        if (output.CustomStatus is not null) rec.CustomStatus = output.CustomStatus;
        rec.FailedAttempts = 0;
        switch (output.Outcome)
        {
            case StepOutcome.Continue:
                rec.Status = RuntimeStatus.Running;
                if (output.Until != rec.NextTimerAt || rec.TimerIsRetry)
                {
                    // Same deadline as before: the timer message already in flight still serves it. So does one of the
                    // current generation that is due no later (it is re-sent for the rest when it arrives early).
                    if (output.Until is { } until &&
                        !(rec.ArmedTimerAt is { } armed && rec.ArmedGeneration == rec.TimerGeneration && armed > now && armed <= until))
                    {
                        rec.TimerGeneration++;
                    }
                    rec.NextTimerAt = output.Until;
                    rec.TimerIsRetry = false;
                }
                break;
            case StepOutcome.Completed:
                rec.Status = RuntimeStatus.Completed;
                rec.NextTimerAt = null;
                break;
            case StepOutcome.Failed:
                rec.Status = RuntimeStatus.Failed;
                rec.LastError = output.Reason;
                rec.NextTimerAt = null;
                break;
        }
        if (rec.IsTerminal)
        {
            rec.TimerIsRetry = false;
            rec.PendingEvents.Clear();
        }
    }

    private void RecordFailure(InstanceRecord rec, List<WorkflowEvent> unprocessed, Exception ex, DateTimeOffset now, List<HistoryEntry> history)
    {
        var from = rec.Status;
        rec.FailedAttempts++;
        rec.LastError = Truncate($"{ex.GetType().Name}: {ex.Message}", 2000);
        logger.LogWarning(ex, "Step of {InstanceId} failed (attempt {Attempt})", rec.InstanceId, rec.FailedAttempts);
        if (options.MaxStepAttempts is { } limit && rec.FailedAttempts >= limit)
        {
            rec.Status = RuntimeStatus.Failed;
            rec.NextTimerAt = null;
            rec.TimerIsRetry = false;
            rec.PendingEvents.Clear();
            history.Add(new HistoryEntry(now, "StepFailed", from.ToString(), rec.Status.ToString(),
                $"{Label(unprocessed[0])} failed {rec.FailedAttempts} times in a row; giving up: {rec.LastError}"));
            return;
        }
        var delay = RetryDelay(rec.FailedAttempts, options);
        rec.PendingEvents.InsertRange(0, unprocessed);
        rec.NextTimerAt = now + delay;
        rec.TimerGeneration++;
        rec.TimerIsRetry = true;
        history.Add(new HistoryEntry(now, "StepFailed", from.ToString(), rec.Status.ToString(),
            $"{Label(unprocessed[0])} failed (attempt {rec.FailedAttempts}); retry at {rec.NextTimerAt:O}: {rec.LastError}"));
    }

    /// <summary>Exponential backoff: initial × 2^(attempt−1), capped.</summary>
    public static TimeSpan RetryDelay(int attempt, DurableWorkflowOptions options)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 30));
        var ms = Math.Min(options.RetryInitialDelay.TotalMilliseconds * factor, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(ms);
    }

    private void TrimPending(InstanceRecord rec, List<HistoryEntry> history, DateTimeOffset now)
    {
        // Keep the oldest (it may be Started) and the newest; level-triggered steps lose nothing by missing
        // intermediate signals. Held payloads share the instance row, so their size is bounded too.
        var excess = 0;
        while (rec.PendingEvents.Count > 2 &&
               (rec.PendingEvents.Count > options.MaxPendingEvents || rec.PendingEvents.Sum(e => e.Payload?.Length ?? 0) > options.MaxStateChars / 2))
        {
            rec.PendingEvents.RemoveAt(1);
            excess++;
        }
        if (excess == 0) return;
        history.Add(new HistoryEntry(now, "EventsDropped", rec.Status.ToString(), rec.Status.ToString(),
            $"{excess} held event(s) dropped (more than {options.MaxPendingEvents} pending)"));
    }

    internal static InstanceCommit BuildCommit(
        InstanceRecord rec, InstanceSnapshot? snapshot, IReadOnlyList<string> consumed, IReadOnlyList<PendingSend> sends,
        IReadOnlyList<HistoryEntry> history, DateTimeOffset now, DurableWorkflowOptions options)
    {
        rec.Version = (snapshot?.Record.Version ?? 0) + 1;
        rec.UpdatedAt = now;
        var commit = new InstanceCommit { Record = rec, ExpectedETag = snapshot?.ETag };

        var dedup = new List<DedupBlock>(snapshot?.Dedup.OrderBy(b => b.Version) ?? Enumerable.Empty<DedupBlock>());
        if (consumed.Count > 0)
        {
            commit.AddDedup = new DedupBlock(rec.Version, now, [.. consumed]);
            var total = dedup.Sum(b => b.Ids.Count) + consumed.Count;
            // Evict the oldest blocks beyond the retention (a bounded number per commit keeps the batch small).
            while (dedup.Count > 0 && total - dedup[0].Ids.Count >= options.DedupRetention && commit.RemoveDedup.Count < 10)
            {
                total -= dedup[0].Ids.Count;
                commit.RemoveDedup.Add(dedup[0].Version);
                dedup.RemoveAt(0);
            }
            dedup.Add(commit.AddDedup);
        }
        commit.DedupAfter = dedup;

        if (sends.Count > 0)
        {
            var messages = sends.Select((s, i) => new ControlMessage
            {
                Id = ControlMessage.OutboxId(rec.InstanceId, rec.Version, i),
                InstanceId = s.InstanceId,
                Kind = s.Kind,
                Name = s.Name,
                Payload = s.Payload,
                Workflow = s.Workflow,
                Input = s.Input,
                SentAt = now,
            }).ToList();
            commit.Outbox = new OutboxBlock(rec.InstanceId, rec.Version, now, messages);
        }

        foreach (var h in history) commit.History.Add(new HistoryRow(rec.HistoryNext++, h));
        while (rec.HistoryNext - rec.HistoryFirst > options.HistoryRetention && commit.RemoveHistory.Count < 20)
            commit.RemoveHistory.Add(rec.HistoryFirst++);
        return commit;
    }

    internal static string Label(WorkflowEvent e) => e.Kind == WorkflowEventKind.Signal ? $"Signal:{e.Name}" : e.Kind.ToString();

    private static string Describe(InstanceRecord rec, StepOutput output)
    {
        var wait = output.Outcome switch
        {
            StepOutcome.Continue when output.Until is { } t => $"waits for a signal or {t:O}",
            StepOutcome.Continue => "waits for a signal",
            StepOutcome.Failed => $"failed: {output.Reason}",
            _ => "completed",
        };
        return rec.CustomStatus is null ? wait : $"{wait}; status: {Truncate(rec.CustomStatus, 200)}";
    }

    internal static string Truncate(string s, int max) => s.Length <= max ? s : s[..max];
}
