using System.Text.Json;
using Azure.Messaging;

namespace ServerlessCapi.Kube.Events;

/// <summary>The CloudEvents the relay emits: type <c>io.x-k8s.cluster.machine.modified</c> (reverse-DNS of
/// the API group, the kind, then <c>modified</c> or <c>deleted</c>), source naming the management cluster,
/// subject <c>namespaces/&lt;ns&gt;/&lt;plural&gt;/&lt;name&gt;</c>.</summary>
public static class ObjectEvents
{
    public const string Modified = "modified";
    public const string Deleted = "deleted";

    /// <summary>The CloudEvents distributed-tracing extension attribute: the W3C <c>traceparent</c> of the span that
    /// published the event, so whoever handles it continues the same trace.</summary>
    public const string TraceParentAttribute = "traceparent";

    public static string Source(string managementCluster) => $"/managementclusters/{managementCluster}";

    public static string Type(string apiGroup, string kind, bool deleted) =>
        $"{string.Join('.', apiGroup.Split('.').Reverse())}.{kind.ToLowerInvariant()}.{(deleted ? Deleted : Modified)}";

    public static string Subject(string plural, string? ns, string name) =>
        ns is null ? $"{plural}/{name}" : $"namespaces/{ns}/{plural}/{name}";

    /// <summary>The same object version always gets the same id, so duplicate deliveries are recognisable.</summary>
    public static string Id(ObjectEventData data) =>
        data.Deleted ? $"{data.Uid}:{data.ResourceVersion}:deleted" : $"{data.Uid}:{data.ResourceVersion}";

    public static CloudEvent Create(string managementCluster, string plural, ObjectEventData data, DateTimeOffset time, string? id = null)
    {
        var group = data.ApiVersion.Contains('/', StringComparison.Ordinal) ? data.ApiVersion[..data.ApiVersion.IndexOf('/', StringComparison.Ordinal)] : "core";
        return new CloudEvent(Source(managementCluster), Type(group, data.Kind, data.Deleted), BinaryData.FromObjectAsJson(data), "application/json")
        {
            Id = id ?? Id(data),
            Subject = Subject(plural, data.Namespace, data.Name),
            Time = time,
        };
    }

    /// <summary>Sets (or, with null, removes) the event's <c>traceparent</c> extension attribute.</summary>
    public static void SetTraceParent(CloudEvent e, string? traceParent)
    {
        if (traceParent is null) e.ExtensionAttributes.Remove(TraceParentAttribute);
        else e.ExtensionAttributes[TraceParentAttribute] = traceParent;
    }

    /// <summary>The event's <c>traceparent</c> extension attribute, or null when it carries none.</summary>
    public static string? TraceParentOf(CloudEvent e) =>
        e.ExtensionAttributes.TryGetValue(TraceParentAttribute, out var value) ? value as string ?? value?.ToString() : null;

    /// <summary>Structured-mode JSON, the queue message body.</summary>
    public static string Serialize(CloudEvent e) => JsonSerializer.Serialize(e);

    /// <summary>A CloudEvents JSON batch (an array of structured-mode events): several events in one queue message.</summary>
    public static string SerializeBatch(IReadOnlyList<CloudEvent> events) => JoinBatch([.. events.Select(Serialize)]);

    /// <summary>A batch of events already serialized one by one (a single event stays a single event).</summary>
    public static string JoinBatch(IReadOnlyList<string> serialized) =>
        serialized.Count == 1 ? serialized[0] : $"[{string.Join(',', serialized)}]";

    /// <summary>The events of a queue message: one structured-mode event, or a batch.</summary>
    public static IReadOnlyList<CloudEvent> ParseAll(string json) =>
        json.AsSpan().TrimStart().StartsWith("[")
            ? CloudEvent.ParseMany(BinaryData.FromString(json)) is { Length: > 0 } many ? many : throw new JsonException("The message is an empty batch.")
            : [Parse(json)];

    public static CloudEvent Parse(string json) =>
        CloudEvent.Parse(BinaryData.FromString(json)) ?? throw new JsonException("The message is not a CloudEvent.");

    public static ObjectEventData DataOf(CloudEvent e) =>
        e.Data?.ToObjectFromJson<ObjectEventData>() ?? throw new JsonException($"CloudEvent {e.Id} has no object data.");
}
