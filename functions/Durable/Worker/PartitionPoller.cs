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
        foreach (var (raw, read) in parsed)
        {
            if (read.Gone)
            {
                // Its payload was cleaned up after its step committed: this is a late duplicate.
                await DeleteAsync(raw, null);
            }
            else if (read.Message is null)
            {
                logger.LogError("Control queue {Partition}: message {MessageId} is not a control message; moving it to the poison queue", partition, raw.MessageId);
                await PoisonAsync(raw, null, ct);
            }
            else if (raw.DequeueCount > _options.MaxDequeueCount)
            {
                await PoisonAsync(raw, read.Message, ct);
            }
            else
            {
                work.Add(new Item(raw, read.Message, read.Blob));
            }
        }

        foreach (var group in work.GroupBy(w => w.Message.InstanceId, StringComparer.Ordinal))
        {
            var items = group.ToList();
            Interlocked.Add(ref _inflightMessages, items.Count);
            var task = Task.Run(() => ProcessGroupAsync(group.Key, items, ct), CancellationToken.None);
            lock (_inflight) _inflight.Add(task);
        }
    }

    private async Task ProcessGroupAsync(string instanceId, List<Item> items, CancellationToken ct)
    {
        var receipts = items.Select(i => new Receipt(i.Raw)).ToList();
        try
        {
            await stepSlots.WaitAsync(ct);
            try
            {
                using var renewal = new CancellationTokenSource();
                var renewing = RenewVisibilityAsync(receipts, renewal.Token);
                try
                {
                    await backend.Processor.ProcessAsync(instanceId, [.. items.Select(i => i.Message)], ct);
                }
                finally
                {
                    await renewal.CancelAsync();
                    await renewing;
                }
            }
            finally
            {
                stepSlots.Release();
            }
            await Task.WhenAll(receipts.Select(r => DeleteAsync(r.Message, r.PopReceipt)));
            foreach (var blob in items.Select(i => i.Blob).OfType<string>())
                await backend.Payloads.DeleteBlobIfExistsAsync(blob, cancellationToken: CancellationToken.None);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the messages reappear after their visibility timeout.
        }
        catch (Exception ex)
        {
            logger.LogWarning(ex, "Processing {Count} message(s) of {InstanceId} failed; they will be redelivered", items.Count, instanceId);
            // Retry sooner than the full visibility timeout, backing off with the delivery count.
            foreach (var r in receipts)
            {
                var delay = StepPlanner.RetryDelay((int)Math.Min(r.Message.DequeueCount, 20), _options);
                await TryUpdateVisibilityAsync(r, delay < _options.VisibilityTimeout ? delay : _options.VisibilityTimeout, CancellationToken.None);
            }
        }
        finally
        {
            Interlocked.Add(ref _inflightMessages, -items.Count);
        }
    }

    /// <summary>Keeps the messages hidden while a step runs longer than half the visibility timeout, so no other
    /// worker starts the same step meanwhile (it would lose at commit anyway, but would waste work).</summary>
    private async Task RenewVisibilityAsync(List<Receipt> receipts, CancellationToken ct)
    {
        var every = _options.VisibilityTimeout / 2;
        try
        {
            while (true)
            {
                await Task.Delay(every, _options.TimeProvider, ct);
                foreach (var r in receipts) await TryUpdateVisibilityAsync(r, _options.VisibilityTimeout, ct);
            }
        }
        catch (OperationCanceledException)
        {
            // The step finished.
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

    private async Task PoisonAsync(QueueMessage raw, ControlMessage? message, CancellationToken ct)
    {
        logger.LogError("Moving message {MessageId} of {InstanceId} to the poison queue after {Count} deliveries",
            message?.Id ?? raw.MessageId, message?.InstanceId, raw.DequeueCount);
        await backend.PoisonQueue.SendMessageAsync(raw.MessageText, null, TimeSpan.FromSeconds(-1), ct);
        if (message is not null)
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

    private sealed record Item(QueueMessage Raw, ControlMessage Message, string? Blob);

    private sealed class Receipt(QueueMessage message)
    {
        public QueueMessage Message { get; } = message;
        public string PopReceipt { get; set; } = message.PopReceipt;
    }
}
