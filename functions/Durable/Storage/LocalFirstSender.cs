using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable.Storage;

/// <summary>The engine's sender on a storage account: what <see cref="LocalDelivery"/> keeps in this process stays
/// here, everything else goes to the queues.</summary>
internal sealed class LocalFirstSender(QueueControlSender queues, LocalDelivery local) : IControlSender
{
    public Task SendAsync(ControlMessage message, TimeSpan delay, CancellationToken ct)
    {
        if (message.Kind == ControlMessageKind.Timer && delay > TimeSpan.Zero && local.TrySchedule(message, delay)) return Task.CompletedTask;
        return message.Coalesce ? SendManyAsync([message], ct) : queues.SendAsync(message, delay, ct);
    }

    public async Task SendManyAsync(IReadOnlyList<ControlMessage> messages, CancellationToken ct)
    {
        var send = messages.Where(local.ShouldSend).ToList();
        if (send.Count == 0) return;
        try
        {
            await queues.SendManyAsync(send, ct);
        }
        catch
        {
            foreach (var m in send.Where(m => m.Coalesce)) local.SendFailed(m);
            throw;
        }
        foreach (var m in send.Where(m => m.Coalesce)) local.Sent(m);
    }
}
