using System.Diagnostics;

namespace ServerlessCapi.Telemetry;

/// <summary>W3C Trace Context <c>traceparent</c> values, as they travel in CloudEvents (the distributed-tracing
/// extension attribute) and in durable signal payloads.</summary>
public static class TraceParent
{
    /// <summary><c>00-{trace-id}-{parent-id}-{flags}</c> for a valid context; null otherwise.</summary>
    public static string? Format(ActivityContext context) =>
        context.TraceId == default || context.SpanId == default
            ? null
            : $"00-{context.TraceId.ToHexString()}-{context.SpanId.ToHexString()}-{((byte)context.TraceFlags).ToString("x2", System.Globalization.CultureInfo.InvariantCulture)}";

    /// <summary>The context of a running span, or null without one.</summary>
    public static string? Of(Activity? activity) => activity is null ? null : Format(activity.Context);

    /// <summary>Parses a <c>traceparent</c>; anything malformed (or all-zero ids) is no context, never an error: a bad
    /// header must not fail the work it rides on.</summary>
    public static bool TryParse(string? traceParent, out ActivityContext context)
    {
        context = default;
        if (string.IsNullOrWhiteSpace(traceParent)) return false;
        if (!ActivityContext.TryParse(traceParent.Trim(), traceState: null, isRemote: true, out var parsed)) return false;
        if (parsed.TraceId == default || parsed.SpanId == default) return false;
        context = parsed;
        return true;
    }

    /// <summary>The parsed context, or <c>default</c> (a new root) when there is none.</summary>
    public static ActivityContext ParseOrDefault(string? traceParent) => TryParse(traceParent, out var context) ? context : default;
}
