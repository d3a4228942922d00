using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable.Storage;

/// <summary>Sends control messages to the queue of their instance's partition. Bodies too large for a queue message
/// go to a blob, and the message carries its name.</summary>
internal sealed class QueueControlSender(
    QueueClient[] queues, BlobContainerClient payloads, LocalWakeups wakeups, Func<CancellationToken, Task> ready) : IControlSender
{
    /// <summary>Queue messages hold 64 KiB; keep a margin for the XML envelope.</summary>
    public const int MaxInlineBytes = 48 * 1024;

    /// <summary>Messages never expire: a timer message may wait up to 7 days before it becomes visible.</summary>
    private static readonly TimeSpan NoExpiry = TimeSpan.FromSeconds(-1);

    public async Task SendAsync(ControlMessage message, TimeSpan delay, CancellationToken ct)
    {
        await ready(ct);
        var text = message.Serialize();
        if (Encoding.UTF8.GetByteCount(text) > MaxInlineBytes)
        {
            var blob = PayloadBlobName(message.Id);
            await payloads.GetBlobClient(blob).UploadAsync(BinaryData.FromString(text), overwrite: true, ct);
            text = new ControlMessage
            {
                Id = message.Id,
                InstanceId = message.InstanceId,
                Kind = message.Kind,
                Generation = message.Generation,
                DueAt = message.DueAt,
                SentAt = message.SentAt,
                Blob = blob,
            }.Serialize();
        }
        var partition = InstanceIds.PartitionOf(message.InstanceId, queues.Length);
        await queues[partition].SendMessageAsync(text, delay > TimeSpan.Zero ? delay : null, NoExpiry, ct);
        wakeups.Notify(partition, delay);
    }

    /// <summary>At most this many control messages share one queue message.</summary>
    public const int MaxBundle = 64;

    /// <summary>Sends the messages of each partition as bundles: one queue message holding a JSON array of control
    /// messages, each still deduplicated by its own id on receipt. A message too large to share goes alone.</summary>
    public async Task SendManyAsync(IReadOnlyList<ControlMessage> messages, CancellationToken ct)
    {
        if (messages.Count == 1)
        {
            await SendAsync(messages[0], TimeSpan.Zero, ct);
            return;
        }
        await ready(ct);
        var sends = new List<Task>();
        foreach (var partition in messages.GroupBy(m => InstanceIds.PartitionOf(m.InstanceId, queues.Length)))
        {
            var bundle = new List<string>();
            var bytes = 2;
            foreach (var message in partition)
            {
                var text = message.Serialize();
                var size = Encoding.UTF8.GetByteCount(text) + 1;
                if (size > MaxInlineBytes / 4)
                {
                    sends.Add(SendAsync(message, TimeSpan.Zero, ct));
                    continue;
                }
                if (bundle.Count == MaxBundle || bytes + size > MaxInlineBytes)
                {
                    sends.Add(SendBundleAsync(partition.Key, bundle, ct));
                    bundle = [];
                    bytes = 2;
                }
                bundle.Add(text);
                bytes += size;
            }
            if (bundle.Count > 0) sends.Add(SendBundleAsync(partition.Key, bundle, ct));
        }
        await Task.WhenAll(sends);
    }

    private async Task SendBundleAsync(int partition, List<string> texts, CancellationToken ct)
    {
        var text = texts.Count == 1 ? texts[0] : $"[{string.Join(',', texts)}]";
        await queues[partition].SendMessageAsync(text, null, NoExpiry, ct);
        wakeups.Notify(partition, TimeSpan.Zero);
    }

    public static string PayloadBlobName(string messageId) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)));

    /// <summary>Reads a received message: one control message, or a bundle of them. No messages when it is not a
    /// control message (it goes to the poison queue). <see cref="ReadResult.Gone"/> when its payload blob is gone (it
    /// was processed and cleaned up already).</summary>
    public static async Task<ReadResult> ReadAsync(QueueMessage raw, BlobContainerClient payloads, CancellationToken ct)
    {
        if (raw.MessageText.StartsWith('['))
        {
            var bundle = ControlMessage.DeserializeBundle(raw.MessageText);
            return new ReadResult(bundle, null, Gone: false);
        }
        var envelope = ControlMessage.Deserialize(raw.MessageText);
        if (envelope?.Blob is not { } blob) return new ReadResult(envelope is null ? [] : [envelope], null, Gone: false);
        try
        {
            var content = await payloads.GetBlobClient(blob).DownloadContentAsync(ct);
            return new ReadResult(ControlMessage.Deserialize(content.Value.Content.ToString()) is { } m ? [m] : [], blob, Gone: false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return new ReadResult([envelope], blob, Gone: true);
        }
    }

    internal sealed record ReadResult(IReadOnlyList<ControlMessage> Messages, string? Blob, bool Gone);
}
