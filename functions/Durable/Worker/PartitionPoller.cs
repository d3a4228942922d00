using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable.Engine;
using ServerlessCapi.Durable.Storage;

namespace ServerlessCapi.Durable.Worker;

/// <summary>Drains one control queue: receives up to 32 messages at a time, groups them per instance, and hands each
/// group to the processor as one step. Messages are deleted only after their step committed; a failure leaves them to
/// reappear, and after <see cref="DurableWorkflowOptions.MaxDequeueCount"/> deliveries they go to the poison queue.</summary>
internal sealed class PartitionPoller(StorageBackend backend, int partition, SemaphoreSlim stepSlots, ILogger logger)
{
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(50);
    private readonly DurableWorkflowOptions _options = backend.Options;
    private readonly QueueClient _queue = backend.ControlQueues[partition];
    private readonly List<Task> _inflight = [];
    private int _inflightMessages;

    public int Partition => partition;

    public async Task RunAsync(CancellationToken ct)
    {
        var idle = MinPollingInterval;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // Keep at most one batch in flight beyond the one being received.
                while (Volatile.Read(ref _inflightMessages) >= _options.ReceiveBatchSize)
                    await Task.WhenAny(Snapshot());
                var received = (await _queue.ReceiveMessagesAsync(_options.ReceiveBatchSize, _options.VisibilityTimeout, ct)).Value;
                if (received.Length == 0)
                {
                    await backend.Wakeups.WaitAsync(partition, idle, ct);
                    idle = TimeSpan.FromTicks(Math.Min(idle.Ticks * 2, _options.MaxPollingInterval.Ticks));
                    continue;
                }
                idle = MinPollingInterval;
                await DispatchAsync(received, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "Polling control queue {Partition} failed", partition);
                await Task.Delay(_options.MaxPollingInterval, _options.TimeProvider, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
        // Let steps in flight finish their commit; their messages are deleted or reappear.
        await Task.WhenAll(Snapshot());
    }

    private Task[] Snapshot()
    {
        lock (_inflight)
        {
            _inflight.RemoveAll(t => t.IsCompleted);
            return [.. _inflight];
        }
    }

    private async Task DispatchAsync(QueueMessage[] received, CancellationToken ct)
    {
        var parsed = await Task.WhenAll(received.Select(async raw => (Raw: raw, Read: await QueueControlSender.ReadAsync(raw, backend.Payloads, ct))));
        var work = new List<Item>();
        var receipts = new List<Receipt>();
        foreach (var (raw, read) in parsed)
        {
            if (read.Gone)
            {
                // Its payload was cleaned up after its step committed: this is a late duplicate.
                await DeleteAsync(raw, null);
            }
            else if (read.Messages.Count == 0)
            {
                logger.LogError("Control queue {Partition}: message {MessageId} is not a control message; moving it to the poison queue", partition, raw.MessageId);
                await PoisonAsync(raw, [], ct);
            }
            else if (raw.DequeueCount > _options.MaxDequeueCount)
            {
                await PoisonAsync(raw, read.Messages, ct);
            }
            else
            {
                // A bundle's messages may concern several instances: the queue message goes once every step that
                // handles one of them has committed, and comes back if any failed.
                var receipt = new Receipt(raw, read.Blob, read.Messages.Select(m => m.InstanceId).Distinct(StringComparer.Ordinal).Count());
                receipts.Add(receipt);
                work.AddRange(read.Messages.Select(m => new Item(receipt, m)));
            }
        }
        if (receipts.Count == 0) return;

        Interlocked.Add(ref _inflightMessages, receipts.Count);
        // Renewal starts before waiting for step slots: a message queued behind busy slots stays ours too.
        var renewing = RenewVisibilityAsync(receipts);
        lock (_inflight) _inflight.Add(renewing);
        foreach (var group in work.GroupBy(w => w.Message.InstanceId, StringComparer.Ordinal))
        {
            var items = group.ToList();
            var task = Task.Run(() => ProcessGroupAsync(group.Key, items, ct), CancellationToken.None);
            lock (_inflight) _inflight.Add(task);
        }
    }

    private async Task ProcessGroupAsync(string instanceId, List<Item> items, CancellationToken ct)
    {
        var ok = false;
        try
        {
            await stepSlots.WaitAsync(ct);
            try
            {
                await backend.Processor.ProcessAsync(instanceId, [.. items.Select(i => i.Message)], ct);
                ok = true;
            }
            finally
            {
                stepSlots.Release();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the messages reappear after their visibility timeout.
            foreach (var receipt in items.Select(i => i.Receipt).Distinct()) receipt.Abandon();
            return;
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Processing {Count} message(s) of {InstanceId} failed; they will be redelivered", items.Count, instanceId);
        }
        foreach (var receipt in items.Select(i => i.Receipt).Distinct())
        {
            if (receipt.Settle(ok) is not { } allOk) continue;
            Interlocked.Decrement(ref _inflightMessages);
            await FinishAsync(receipt, allOk);
        }
    }

    /// <summary>Deletes a queue message whose steps all committed, or brings it back soon when one failed.</summary>
    private async Task FinishAsync(Receipt r, bool allOk)
    {
        // After any renewal in flight, so the pop receipt used is the newest.
        await r.RenewLock.WaitAsync();
        try
        {
            if (allOk)
            {
                await DeleteAsync(r.Message, r.PopReceipt);
                if (r.Blob is { } blob) await backend.Payloads.DeleteBlobIfExistsAsync(blob, cancellationToken: CancellationToken.None);
            }
            else
            {
                // Retry sooner than the full visibility timeout, backing off with the delivery count.
                var delay = StepPlanner.RetryDelay((int)Math.Min(r.Message.DequeueCount, 20), _options);
                await TryUpdateVisibilityAsync(r, delay < _options.VisibilityTimeout ? delay : _options.VisibilityTimeout, CancellationToken.None);
            }
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or IOException or TaskCanceledException)
        {
            // The message comes back after its visibility timeout and is deduplicated by its steps.
            logger.LogDebug(ex, "Settling message {MessageId} failed; it will be redelivered", r.Message.MessageId);
        }
        finally
        {
            r.RenewLock.Release();
        }
    }

    /// <summary>Keeps the messages hidden while their steps run longer than half the visibility timeout, so no other
    /// worker starts the same steps meanwhile (it would lose at commit anyway, but would waste work).</summary>
    private async Task RenewVisibilityAsync(List<Receipt> receipts)
    {
        var every = _options.VisibilityTimeout / 2;
        while (true)
        {
            await Task.WhenAny(Task.WhenAll(receipts.Select(r => r.Settled)), Task.Delay(every, _options.TimeProvider));
            var open = receipts.Where(r => !r.Settled.IsCompleted).ToList();
            if (open.Count == 0) return;
            foreach (var r in open)
            {
                try
                {
                    await r.RenewLock.WaitAsync();
                    try
                    {
                        if (!r.Settled.IsCompleted) await TryUpdateVisibilityAsync(r, _options.VisibilityTimeout, CancellationToken.None);
                    }
                    finally
                    {
                        r.RenewLock.Release();
                    }
                }
                catch (Exception ex) when (ex is RequestFailedException or AggregateException or IOException or TaskCanceledException)
                {
                    // A slow or failing storage service must not fail the steps: if the message reappears meanwhile,
                    // whoever takes it finds its steps deduplicated.
                    logger.LogDebug(ex, "Renewing message {MessageId} failed", r.Message.MessageId);
                }
            }
        }
    }

    private async Task TryUpdateVisibilityAsync(Receipt r, TimeSpan visibility, CancellationToken ct)
    {
        try
        {
            var updated = await _queue.UpdateMessageAsync(r.Message.MessageId, r.PopReceipt, visibilityTimeout: visibility, cancellationToken: ct);
            r.PopReceipt = updated.Value.PopReceipt;
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // Gone or re-received elsewhere: nothing to keep.
        }
    }

    private async Task DeleteAsync(QueueMessage raw, string? popReceipt)
    {
        try
        {
            await _queue.DeleteMessageAsync(raw.MessageId, popReceipt ?? raw.PopReceipt, CancellationToken.None);
        }
        catch (RequestFailedException ex) when (ex.Status is 404 or 400)
        {
            // Someone else received it after our visibility lapsed (and will find it deduplicated), or it is gone.
        }
    }

    private async Task PoisonAsync(QueueMessage raw, IReadOnlyList<ControlMessage> messages, CancellationToken ct)
    {
        logger.LogError("Moving message {MessageId} of {InstanceId} to the poison queue after {Count} deliveries",
            messages.Count == 1 ? messages[0].Id : raw.MessageId, string.Join(", ", messages.Select(m => m.InstanceId).Distinct()), raw.DequeueCount);
        await backend.PoisonQueue.SendMessageAsync(raw.MessageText, null, TimeSpan.FromSeconds(-1), ct);
        foreach (var message in messages)
        {
            try
            {
                await backend.Processor.RecordPoisonAsync(message, raw.DequeueCount, ct);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogWarning(ex, "Could not record the poisoned message on {InstanceId}", message.InstanceId);
            }
        }
        await DeleteAsync(raw, null);
    }

    private sealed record Item(Receipt Receipt, ControlMessage Message);

    /// <summary>One received queue message and the steps (one per instance it concerns) still to settle it.</summary>
    private sealed class Receipt(QueueMessage message, string? blob, int steps)
    {
        private readonly TaskCompletionSource _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _open = steps;
        private int _failed;

        public QueueMessage Message { get; } = message;
        public string? Blob { get; } = blob;
        public string PopReceipt { get; set; } = message.PopReceipt;
        public SemaphoreSlim RenewLock { get; } = new(1, 1);
        public Task Settled => _settled.Task;

        /// <summary>Counts one step's outcome; once all are in, returns whether every one succeeded.</summary>
        public bool? Settle(bool ok)
        {
            if (!ok) Interlocked.Exchange(ref _failed, 1);
            if (Interlocked.Decrement(ref _open) != 0) return null;
            _settled.TrySetResult();
            return Volatile.Read(ref _failed) == 0;
        }

        /// <summary>Shutting down: stop renewing; the message reappears by itself.</summary>
        public void Abandon() => _settled.TrySetResult();
    }
}
