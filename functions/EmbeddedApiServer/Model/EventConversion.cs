using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Model;

/// <summary>events.k8s.io/v1 Event ↔ core v1 Event, field for field as kube-apiserver converts them, so an Event
/// written through either API is listed and watched through both with one resourceVersion.</summary>
public sealed class EventConversion : StorageConversion
{
    public static EventConversion Instance { get; } = new();

    private const int NoteLimit = 1024;

    /// <summary>events.k8s.io/v1 field → core v1 field (the rest have the same name in both).</summary>
    private static readonly (string EventsV1, string Core)[] Renames =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    /// <summary>events.k8s.io/v1 field selector labels → the core field they select on (kube-apiserver's field
    /// label conversion for the group).</summary>
    public static IReadOnlyDictionary<string, string> FieldLabels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reason"] = "reason",
        ["type"] = "type",
        ["regarding.kind"] = "involvedObject.kind",
        ["regarding.namespace"] = "involvedObject.namespace",
        ["regarding.name"] = "involvedObject.name",
        ["regarding.uid"] = "involvedObject.uid",
        ["regarding.apiVersion"] = "involvedObject.apiVersion",
        ["regarding.resourceVersion"] = "involvedObject.resourceVersion",
        ["regarding.fieldPath"] = "involvedObject.fieldPath",
        ["reportingController"] = "reportingComponent",
    };

    /// <summary>Core v1 field selector labels → the stored field (source selects on its component).</summary>
    public static IReadOnlyDictionary<string, string> CoreFieldLabels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["reason"] = "reason",
        ["type"] = "type",
        ["involvedObject.kind"] = "involvedObject.kind",
        ["involvedObject.namespace"] = "involvedObject.namespace",
        ["involvedObject.name"] = "involvedObject.name",
        ["involvedObject.uid"] = "involvedObject.uid",
        ["involvedObject.apiVersion"] = "involvedObject.apiVersion",
        ["involvedObject.resourceVersion"] = "involvedObject.resourceVersion",
        ["involvedObject.fieldPath"] = "involvedObject.fieldPath",
        ["reportingComponent"] = "reportingComponent",
        ["source"] = "source.component",
    };

    public override string StorageKey => BuiltInTypes.Events.Key;

    public override string StorageApiVersion => "v1";

    public override JsonObject ToStorage(JsonObject served, bool create)
    {
        Validate(served, create);
        var stored = (JsonObject)served.DeepClone();
        foreach (var (eventsV1, core) in Renames)
        {
            stored.Remove(core);
            if (stored[eventsV1] is { } value)
            {
                stored.Remove(eventsV1);
                stored[core] = value;
            }
        }
        stored["apiVersion"] = StorageApiVersion;
        return stored;
    }

    public override JsonObject FromStorage(JsonObject stored, string apiVersion)
    {
        var served = (JsonObject)stored.DeepClone();
        foreach (var (eventsV1, core) in Renames)
        {
            served.Remove(eventsV1);
            if (served[core] is { } value)
            {
                served.Remove(core);
                // An unset core timestamp is written as null by Go clients; events.k8s.io omits what is unset.
                if (value is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Null) continue;
                served[eventsV1] = value;
            }
        }
        served["apiVersion"] = apiVersion;
        return served;
    }

    /// <summary>The events.k8s.io/v1 rules kube-apiserver applies before conversion: an Event created in this API has
    /// the fields the new API requires and none of the deprecated ones.</summary>
    private static void Validate(JsonObject e, bool create)
    {
        var errors = new List<(string Field, string Type, string Message)>();
        if (create)
        {
            if (IsEmpty(e["eventTime"])) errors.Add(("eventTime", "FieldValueRequired", "Required value"));
            foreach (var deprecated in new[] { "deprecatedSource", "deprecatedFirstTimestamp", "deprecatedLastTimestamp" })
            {
                if (!IsEmpty(e[deprecated])) errors.Add((deprecated, "FieldValueInvalid", "Invalid value: \"\": needs to be unset"));
            }
            if (e["deprecatedCount"] is JsonValue c && c.TryGetValue<long>(out var count) && count != 0)
                errors.Add(("deprecatedCount", "FieldValueInvalid", $"Invalid value: {count}: needs to be unset"));
            if (string.IsNullOrEmpty(Text(e, "reportingController"))) errors.Add(("reportingController", "FieldValueRequired", "Required value"));
            if (string.IsNullOrEmpty(Text(e, "reportingInstance"))) errors.Add(("reportingInstance", "FieldValueRequired", "Required value"));
            if (string.IsNullOrEmpty(Text(e, "action"))) errors.Add(("action", "FieldValueRequired", "Required value"));
            if (string.IsNullOrEmpty(Text(e, "reason"))) errors.Add(("reason", "FieldValueRequired", "Required value"));
        }
        if (Text(e, "type") is { } type && type is not ("Normal" or "Warning"))
            errors.Add(("type", "FieldValueNotSupported", $"Unsupported value: \"{type}\": supported values: \"Normal\", \"Warning\""));
        if (Text(e, "note") is { Length: > NoteLimit } note)
            errors.Add(("note", "FieldValueTooLong", $"Too long: may not be more than {NoteLimit} bytes"));
        if (e["series"] is JsonObject series)
        {
            if (!(series["count"] is JsonValue sc && sc.TryGetValue<long>(out var n) && n >= 2))
                errors.Add(("series.count", "FieldValueInvalid", "Invalid value: should be at least 2"));
            if (IsEmpty(series["lastObservedTime"])) errors.Add(("series.lastObservedTime", "FieldValueRequired", "Required value"));
        }
        if (errors.Count == 0) return;
        var name = Text(ObjectRules.Meta(e), "name") ?? "";
        var message = string.Join(", ", errors.Select(x => $"{x.Field}: {x.Message}"));
        throw ApiException.Invalid("events.k8s.io", "Event", name, message,
            errors.Select(x => new StatusCause(x.Type, x.Message, x.Field)).ToArray());
    }

    private static bool IsEmpty(JsonNode? node) =>
        node is null || (node is JsonValue v && (v.GetValueKind() == System.Text.Json.JsonValueKind.Null || (v.TryGetValue<string>(out var s) && s.Length == 0)))
        || (node is JsonObject o && o.Count == 0);

    private static string? Text(JsonObject o, string key) => o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
