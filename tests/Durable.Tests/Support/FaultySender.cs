using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable.Tests.Support;

/// <summary>Wraps the real sender: records every send and can drop or fail chosen messages (a process that died
/// between commit and send, or a lost message).</summary>
internal sealed class FaultySender(IControlSender inner) : IControlSender
{
    public Func<ControlMessage, bool> Drop { get; set; } = _ => false;
    public Func<ControlMessage, bool> Fail { get; set; } = _ => false;
    public List<(ControlMessage Message, TimeSpan Delay)> Sent { get; } = [];

    public async Task SendAsync(ControlMessage message, TimeSpan delay, CancellationToken ct)
    {
        if (Fail(message)) throw new IOException($"Simulated crash before sending {message.Id}.");
        lock (Sent) Sent.Add((message, delay));
        if (Drop(message)) return;
        await inner.SendAsync(message, delay, ct);
    }
}
