using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Durable.Engine;

/// <summary>What a control-queue message asks of an instance.</summary>
internal enum ControlMessageKind
{
    /// <summary>Create the instance if it is missing (with <see cref="ControlMessage.Workflow"/> and input) and run its first step.</summary>
    Start,
    /// <summary>Deliver a named event; deduplicated by message id.</summary>
    Signal,
    /// <summary>A durable timer of one generation is due; stale generations are ignored.</summary>
    Timer,
    /// <summary>Look at the instance again (after resume, or from the sweeper); carries no event.</summary>
    Wake,
}

/// <summary>One message on a control queue. The id is deterministic, so a re-send is recognisably the same message.</summary>
internal sealed record ControlMessage
{
    [JsonPropertyName("id")] public required string Id { get; init; }
    [JsonPropertyName("i")] public required string InstanceId { get; init; }
    [JsonPropertyName("k")] public required ControlMessageKind Kind { get; init; }
    [JsonPropertyName("n")] public string? Name { get; init; }
    [JsonPropertyName("p")] public string? Payload { get; init; }

    /// <summary>For <see cref="ControlMessageKind.Start"/>, and signals that may start a missing instance.</summary>
    [JsonPropertyName("w")] public string? Workflow { get; init; }
    [JsonPropertyName("in")] public string? Input { get; init; }
    [JsonPropertyName("g")] public long Generation { get; init; }
    [JsonPropertyName("due")] public DateTimeOffset? DueAt { get; init; }

    /// <summary>When the sender created it, for latency measurements.</summary>
    [JsonPropertyName("at")] public DateTimeOffset SentAt { get; init; }

    /// <summary>Set on an envelope whose full body lives in a blob (a payload too large for a queue message).</summary>
    [JsonPropertyName("blob")] public string? Blob { get; init; }

    /// <summary>A level-triggered signal ("look again"): while one for the instance is queued and its step has not
    /// begun, another need not be sent (see <c>LocalDelivery</c>).</summary>
    [JsonPropertyName("c")][JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] public bool Coalesce { get; init; }

    public static string TimerId(string instanceId, long generation) => $"timer|{instanceId}|{generation}";

    public static string StartId(string instanceId) => $"start|{instanceId}";

    public static string OutboxId(string instanceId, long version, int index) => $"{instanceId}|v{version}|{index}";

    public string Serialize() => JsonSerializer.Serialize(this, ControlMessageJson.Options);

    /// <summary>A bundle (a JSON array of messages); empty when any entry is not a control message.</summary>
    public static IReadOnlyList<ControlMessage> DeserializeBundle(string text)
    {
        try
        {
            var messages = JsonSerializer.Deserialize<List<ControlMessage?>>(text, ControlMessageJson.Options) ?? [];
            return messages.Count > 0 && messages.All(m => m is { Id.Length: > 0, InstanceId.Length: > 0 }) ? messages.Select(m => m!).ToList() : [];
        }
        catch (JsonException)
        {
            return [];
        }
    }

    public static ControlMessage? Deserialize(string text)
    {
        try
        {
            var m = JsonSerializer.Deserialize<ControlMessage>(text, ControlMessageJson.Options);
            return m is { Id.Length: > 0, InstanceId.Length: > 0 } ? m : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

internal static class ControlMessageJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };
}
