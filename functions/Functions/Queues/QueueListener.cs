using System.Text;
using Azure;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;

namespace ServerlessCapi.Functions.Queues;

/// <summary>Polls one queue and runs its function per message, with the Azure Functions queue-trigger semantics.</summary>
/// <remarks>
/// Fetches up to <c>batchSize</c> messages whenever at most <c>newBatchThreshold</c> handlers are still
/// running (so at most batchSize + newBatchThreshold run at once). A message stays hidden for
/// <see cref="FunctionAppOptions.QueueMessageLease"/>, renewed at half that while its handler runs. Success
/// deletes it; failure makes it visible again after <c>visibilityTimeout</c>; the attempt that reaches
/// <c>maxDequeueCount</c> moves it to <c>&lt;queue&gt;-poison</c>.
/// </remarks>
public sealed class QueueListener : IDisposable
{
    private readonly QueueFunctionDescriptor _function;
    private readonly QueueClient _queue;
    private readonly QueueClient _poison;
    private readonly QueuesOptions _options;
    private readonly FunctionAppOptions _app;
    private readonly FunctionExecutor _executor;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _slotFreed = new(0);
    private readonly Lazy<Task> _poisonCreated;

    internal QueueListener(
        QueueFunctionDescriptor function, StorageAccount storage, QueuesOptions options, FunctionAppOptions app,
        FunctionExecutor executor, ILogger log)
    {
        _function = function;
        _queue = storage.RawQueue(function.QueueName);
        _poison = storage.RawQueue(PoisonQueueName(function.QueueName));
        _options = options;
        _app = app;
        _executor = executor;
        _log = log;
        _poisonCreated = new(() => _poison.CreateIfNotExistsAsync());
    }

    public static string PoisonQueueName(string queue) => queue + "-poison";

    public string FunctionName => _function.Name;
    public string QueueName => _function.QueueName;
    public QueueListenerStats Stats { get; } = new();

    /// <summary>Set once the queue exists and polling has begun.</summary>
    public bool Started { get; private set; }

    /// <summary>Polls until <paramref name="stopping"/> fires, then waits (up to the drain timeout) for running handlers.</summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        var backoff = new PollingBackoff(_app.MinPollingInterval, _options.MaxPollingInterval);
        var inFlight = new HashSet<Task>();
        await CreateQueueAsync(backoff, stopping);
        Started = true;
        _log.LogInformation("Listening on queue {Queue} for {Function}", _function.QueueName, _function.Name);
        try
        {
            while (!stopping.IsCancellationRequested)
            {
                while (Stats.Running > _options.EffectiveNewBatchThreshold)
                    await _slotFreed.WaitAsync(stopping);

                QueueMessage[] batch;
                try
                {
                    batch = (await _queue.ReceiveMessagesAsync(_options.BatchSize, _app.QueueMessageLease, stopping)).Value;
                }
                catch (RequestFailedException e)
                {
                    _log.LogWarning(e, "Receiving from queue {Queue} failed ({Status})", _function.QueueName, e.Status);
                    batch = [];
                }

                if (batch.Length == 0)
                {
                    var delay = backoff.Empty();
                    Stats.Polled(0, delay, backoff.Resets);
                    await Task.Delay(delay, stopping);
                    continue;
                }

                backoff.Hit();
                Stats.Polled(batch.Length, TimeSpan.Zero, backoff.Resets);
                foreach (var message in batch)
                {
                    Stats.Started();
                    var task = ProcessAsync(message, stopping);
                    lock (inFlight) inFlight.Add(task);
                    _ = task.ContinueWith(t =>
                    {
                        lock (inFlight) inFlight.Remove(t);
                        Stats.Finished();
                        _slotFreed.Release();
                    }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
            // Shutdown.
        }

        Task[] remaining;
        lock (inFlight) remaining = [.. inFlight];
        await Task.WhenAll(remaining).WaitAsync(_app.DrainTimeout, CancellationToken.None)
            .ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private async Task CreateQueueAsync(PollingBackoff backoff, CancellationToken stopping)
    {
        while (true)
        {
            try
            {
                await _queue.CreateIfNotExistsAsync(cancellationToken: stopping);
                return;
            }
            catch (RequestFailedException e)
            {
                _log.LogWarning(e, "Creating queue {Queue} failed ({Status}); retrying", _function.QueueName, e.Status);
                await Task.Delay(backoff.Empty(), stopping);
            }
        }
    }

    private async Task ProcessAsync(QueueMessage message, CancellationToken stopping)
    {
        // Let the receive loop go on before this handler's first await.
        await Task.Yield();
        var receipt = new Receipt(message.PopReceipt);
        try
        {
            if (message.DequeueCount > _options.MaxDequeueCount)
            {
                // A previous attempt died without recording its failure (process crash): do not run again.
                await MoveToPoisonAsync(message, receipt);
                return;
            }

            var succeeded = await RunHandlerAsync(message, receipt, stopping);
            if (succeeded)
                await DeleteAsync(message.MessageId, receipt.Value);
            else if (stopping.IsCancellationRequested)
                await SetVisibilityAsync(message.MessageId, receipt.Value, TimeSpan.Zero);
            else if (message.DequeueCount >= _options.MaxDequeueCount)
                await MoveToPoisonAsync(message, receipt);
            else
                await SetVisibilityAsync(message.MessageId, receipt.Value, _options.VisibilityTimeout);
        }
        catch (Exception e) when (e is RequestFailedException or OperationCanceledException)
        {
            // The message reappears after its lease and is retried; nothing is lost.
            _log.LogWarning(e, "Completing message {MessageId} on queue {Queue} failed", message.MessageId, _function.QueueName);
        }
    }

    private async Task<bool> RunHandlerAsync(QueueMessage message, Receipt receipt, CancellationToken stopping)
    {
        using var renewing = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var renewal = RenewAsync(message.MessageId, receipt, renewing.Token);
        try
        {
            var body = Decode(message.Body);
            var info = new QueueMessageInfo(_function.QueueName, message.MessageId, message.DequeueCount,
                message.InsertedOn, message.ExpiresOn, message.NextVisibleOn, message.PopReceipt);
            await _executor.ExecuteAsync(_function, sp => _function.Invoke(sp, body, info, stopping), stopping);
            return true;
        }
        catch (Exception)
        {
            // The executor logged it; the message's fate is decided by the caller.
            return false;
        }
        finally
        {
            await renewing.CancelAsync();
            await renewal;
        }
    }

    private string Decode(BinaryData body)
    {
        if (!_options.Base64) return body.ToString();
        var text = body.ToString();
        var bytes = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, bytes, out var length))
            throw new FormatException("The message is not base64-encoded (extensions.queues.messageEncoding is base64).");
        return Encoding.UTF8.GetString(bytes, 0, length);
    }

    private async Task RenewAsync(string messageId, Receipt receipt, CancellationToken ct)
    {
        var interval = _app.QueueMessageLease / 2;
        try
        {
            while (true)
            {
                await Task.Delay(interval, ct);
                var updated = await _queue.UpdateMessageAsync(messageId, receipt.Value, visibilityTimeout: _app.QueueMessageLease, cancellationToken: ct);
                receipt.Value = updated.Value.PopReceipt;
                Stats.Renewed();
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The handler finished.
        }
        catch (RequestFailedException e)
        {
            _log.LogWarning(e, "Renewing message {MessageId} on queue {Queue} failed ({Status}); another attempt may run",
                messageId, _function.QueueName, e.Status);
        }
    }

    private async Task MoveToPoisonAsync(QueueMessage message, Receipt receipt)
    {
        await _poisonCreated.Value;
        // Copy first, then delete: a crash in between leaves a duplicate in the poison queue, never a loss.
        await _poison.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None);
        await DeleteAsync(message.MessageId, receipt.Value);
        Stats.MovedToPoison();
        _log.LogWarning("Message {MessageId} moved to {PoisonQueue} after {DequeueCount} attempts",
            message.MessageId, PoisonQueueName(_function.QueueName), message.DequeueCount);
    }

    private async Task DeleteAsync(string messageId, string popReceipt)
    {
        try
        {
            await _queue.DeleteMessageAsync(messageId, popReceipt, CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            // Already gone, or another consumer holds it now: either way it is not ours to delete.
            _log.LogDebug("Message {MessageId} on queue {Queue} was already gone ({Status})", messageId, _function.QueueName, e.Status);
        }
    }

    private async Task SetVisibilityAsync(string messageId, string popReceipt, TimeSpan visibility)
    {
        try
        {
            await _queue.UpdateMessageAsync(messageId, popReceipt, visibilityTimeout: visibility, cancellationToken: CancellationToken.None);
        }
        catch (RequestFailedException e) when (e.Status is 404 or 400)
        {
            _log.LogDebug("Message {MessageId} on queue {Queue} was already gone ({Status})", messageId, _function.QueueName, e.Status);
        }
    }

    public void Dispose() => _slotFreed.Dispose();

    /// <summary>The latest pop receipt: each visibility update issues a new one.</summary>
    private sealed class Receipt(string value)
    {
        public string Value { get; set; } = value;
    }
}
