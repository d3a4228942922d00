namespace ServerlessCapi.Durable.Engine;

/// <summary>Puts messages on the control queue of their target instance.</summary>
internal interface IControlSender
{
    /// <summary>Sends a message, hidden for <paramref name="delay"/> (at most the queue's limit; callers cap it).</summary>
    Task SendAsync(ControlMessage message, TimeSpan delay, CancellationToken ct);

    /// <summary>Sends messages due now; a sender may bundle those of one partition into fewer queue messages.</summary>
    async Task SendManyAsync(IReadOnlyList<ControlMessage> messages, CancellationToken ct)
    {
        foreach (var message in messages) await SendAsync(message, TimeSpan.Zero, ct);
    }
}
