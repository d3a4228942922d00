namespace ServerlessCapi.Durable.Engine;

/// <summary>The management operations on any backend. Needs no worker: every change is a version-checked commit,
/// and anything that must run a step goes through the instance's control queue.</summary>
internal sealed class WorkflowClient(IInstanceStore store, IControlSender sender, DurableWorkflowOptions options, WorkflowRegistry? registry)
    : IWorkflowClient
{
    private const int MaxConflictRetries = 20;

    private DateTimeOffset Now => options.TimeProvider.GetUtcNow();

    /// <summary>The workflows known here, when this process registered any (used to reject unknown names early).</summary>
    public WorkflowRegistry? Registry => registry;

    public async Task<bool> StartAsync(string workflowName, string instanceId, string? input = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(workflowName);
        InstanceIds.Validate(instanceId);
        if (input?.Length > options.MaxStateChars / 2)
            throw new ArgumentException($"Input is longer than {options.MaxStateChars / 2} characters.", nameof(input));
        var now = Now;
        var rec = new InstanceRecord { InstanceId = instanceId, WorkflowName = workflowName, Input = input, CreatedAt = now, UpdatedAt = now };
        var history = new[] { new HistoryEntry(now, "Created", null, RuntimeStatus.Pending.ToString(), $"workflow {workflowName}") };
        var commit = StepPlanner.BuildCommit(rec, null, [], [], history, now, options);
        if (await store.CommitAsync(commit, ct) == CommitResult.Conflict) return false;
        // The row exists now; this message only asks a worker to run the first step. If it is lost, the sweeper
        // finds the Pending row and nudges it.
        await sender.SendAsync(
            new ControlMessage { Id = ControlMessage.StartId(instanceId), InstanceId = instanceId, Kind = ControlMessageKind.Start, SentAt = now },
            TimeSpan.Zero, ct);
        return true;
    }

    public Task RaiseEventAsync(string instanceId, string eventName, string? payload = null, string? messageId = null,
        string? startWorkflow = null, CancellationToken ct = default) =>
        sender.SendAsync(SignalMessage(new EventRequest(instanceId, eventName, payload, messageId, startWorkflow)), TimeSpan.Zero, ct);

    public Task RaiseEventsAsync(IReadOnlyList<EventRequest> events, CancellationToken ct = default) =>
        events.Count == 0 ? Task.CompletedTask : sender.SendManyAsync([.. events.Select(SignalMessage)], ct);

    private ControlMessage SignalMessage(EventRequest e)
    {
        InstanceIds.Validate(e.InstanceId);
        ArgumentException.ThrowIfNullOrEmpty(e.EventName);
        return new ControlMessage
        {
            Id = e.MessageId ?? $"event|{Guid.NewGuid():N}",
            InstanceId = e.InstanceId,
            Kind = ControlMessageKind.Signal,
            Name = e.EventName,
            Payload = e.Payload,
            Workflow = e.StartWorkflow,
            Coalesce = e.Coalesce,
            SentAt = Now,
        };
    }

    public Task<bool> TerminateAsync(string instanceId, string reason, CancellationToken ct = default) =>
        ChangeAsync(instanceId, "Terminated", reason, rec =>
        {
            if (rec.IsTerminal) return false;
            rec.Status = RuntimeStatus.Terminated;
            rec.SuspendedFrom = null;
            rec.NextTimerAt = null;
            rec.TimerIsRetry = false;
            rec.PendingEvents.Clear();
            return true;
        }, ct);

    public Task<bool> SuspendAsync(string instanceId, string reason, CancellationToken ct = default) =>
        ChangeAsync(instanceId, "Suspended", reason, rec =>
        {
            if (rec.IsTerminal) return false;
            if (rec.Status == RuntimeStatus.Suspended) return null;
            rec.SuspendedFrom = rec.Status;
            rec.Status = RuntimeStatus.Suspended;
            return true;
        }, ct);

    public async Task<bool> ResumeAsync(string instanceId, string reason, CancellationToken ct = default)
    {
        var resumed = false;
        var ok = await ChangeAsync(instanceId, "Resumed", reason, rec =>
        {
            if (rec.IsTerminal) return false;
            if (rec.Status != RuntimeStatus.Suspended) return null;
            rec.Status = rec.SuspendedFrom ?? RuntimeStatus.Running;
            rec.SuspendedFrom = null;
            // Held events become due now (unless a deadline that passed meanwhile already brings them).
            if (rec.PendingEvents.Count > 0 && !rec.TimerIsRetry && !(rec.NextTimerAt <= Now)) StepPlanner.ArmImmediate(rec, Now);
            resumed = true;
            return true;
        }, ct);
        // Held events and a deadline that passed while suspended run now.
        if (resumed) await sender.SendAsync(InstanceProcessor.WakeMessage(instanceId, Now), TimeSpan.Zero, ct);
        return ok;
    }

    public Task<bool> PurgeAsync(string instanceId, CancellationToken ct = default) => store.PurgeAsync(instanceId, ct);

    public async Task<InstanceStatus?> GetStatusAsync(string instanceId, bool showHistory = false, CancellationToken ct = default)
    {
        var rec = await store.GetAsync(instanceId, ct);
        if (rec is null) return null;
        var history = showHistory ? await store.GetHistoryAsync(instanceId, ct) : null;
        return rec.ToStatus(history);
    }

    public async Task<InstancePage> ListAsync(InstanceQuery query, CancellationToken ct = default)
    {
        var (instances, token) = await store.ListAsync(query, ct);
        return new InstancePage([.. instances.Select(r => r.ToStatus(null))], token);
    }

    /// <summary>Applies a management change under the ETag. The change returns true to commit, false when the
    /// operation does not apply (reported as false), null when it is already in effect (reported as true).</summary>
    private async Task<bool> ChangeAsync(string instanceId, string eventName, string reason, Func<InstanceRecord, bool?> change, CancellationToken ct)
    {
        for (var attempt = 0; attempt < MaxConflictRetries; attempt++)
        {
            var snapshot = await store.LoadAsync(instanceId, allowCached: false, ct);
            if (snapshot is null) return false;
            var rec = snapshot.Record.Clone();
            var from = rec.Status;
            var apply = change(rec);
            if (apply is null) return true;
            if (apply == false) return false;
            var now = Now;
            var history = new[] { new HistoryEntry(now, eventName, from.ToString(), rec.Status.ToString(), string.IsNullOrEmpty(reason) ? null : reason) };
            var commit = StepPlanner.BuildCommit(rec, snapshot, [], [], history, now, options);
            if (await store.CommitAsync(commit, ct) == CommitResult.Committed) return true;
            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 30)), ct);
        }
        throw new InstanceConflictException(instanceId);
    }
}
