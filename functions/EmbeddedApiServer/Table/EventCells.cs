using System.Globalization;
using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Table;

/// <summary>The event columns as kube-apiserver's printer fills them from the stored core form, so an Event written
/// through events.k8s.io/v1 (eventTime and series, no legacy timestamps or count) prints like any other.</summary>
internal static class EventCells
{
    public static JsonNode? Evaluate(string spec, JsonObject e, DateTime now) => spec switch
    {
        "#eventLastSeen" => LastSeen(e, now),
        "#eventFirstSeen" => FirstSeen(e, now),
        "#eventCount" => Count(e),
        "#eventSource" => Source(e),
        _ => null,
    };

    private static string FirstSeen(JsonObject e, DateTime now) =>
        Since(Time(e["firstTimestamp"]) ?? Time(e["eventTime"]), now);

    private static string LastSeen(JsonObject e, DateTime now)
    {
        if (e["series"] is JsonObject series) return Since(Time(series["lastObservedTime"]), now);
        return Time(e["lastTimestamp"]) is { } last ? Since(last, now) : FirstSeen(e, now);
    }

    private static long Count(JsonObject e)
    {
        if (e["series"]?["count"] is JsonValue s && s.TryGetValue<long>(out var seriesCount)) return seriesCount;
        // A singleton written through the new API has no count.
        return e["count"] is JsonValue c && c.TryGetValue<long>(out var count) && count > 0 ? count : 1;
    }

    private static string Source(JsonObject e)
    {
        var component = e["source"]?["component"]?.GetValue<string>();
        var host = e["source"]?["host"]?.GetValue<string>();
        if (string.IsNullOrEmpty(component))
        {
            component = e["reportingComponent"]?.GetValue<string>();
            host = e["reportingInstance"]?.GetValue<string>();
        }
        return string.IsNullOrEmpty(host) ? component ?? "" : $"{component}, {host}";
    }

    private static string Since(DateTime? t, DateTime now) => t is { } at ? HumanDuration.Format(now - at) : "<unknown>";

    private static DateTime? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0
        && DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
        && t.Year > 1
            ? t
            : null;
}
