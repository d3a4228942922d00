using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableTask.Core;
using DurableTask.Core.History;

namespace ServerlessCapi.Workflows.Management;

/// <summary>Instance rows and histories in the JSON shapes Durable Functions' HTTP API returns, so tools written for
/// a Durable Functions task hub read ours unchanged.</summary>
public static class StatusJson
{
    /// <summary>The status payload: name, instanceId, runtimeStatus, input, customStatus, output, createdTime,
    /// lastUpdatedTime and, when given, historyEvents.</summary>
    public static JsonObject Status(OrchestrationState state, JsonArray? history = null)
    {
        var o = new JsonObject
        {
            ["name"] = state.Name,
            ["instanceId"] = state.OrchestrationInstance.InstanceId,
            ["runtimeStatus"] = state.OrchestrationStatus.ToString(),
            ["input"] = Payload(state.Input),
            ["customStatus"] = Payload(state.Status),
            ["output"] = Payload(state.Output),
            ["createdTime"] = Time(state.CreatedTime),
            ["lastUpdatedTime"] = Time(state.LastUpdatedTime),
        };
        if (history is not null) o["historyEvents"] = history;
        return o;
    }

    /// <summary>Stored payloads are JSON text: returned as JSON, or as a plain string when they are not JSON
    /// (a termination reason, for one).</summary>
    public static JsonNode? Payload(string? text)
    {
        if (text is null) return null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0) return JsonValue.Create(string.Empty);
        try
        {
            return JsonNode.Parse(trimmed);
        }
        catch (JsonException)
        {
            return JsonValue.Create(text);
        }
    }

    /// <summary>Whole seconds in UTC with a Z, as Durable Functions writes status times.</summary>
    public static string Time(DateTime t) =>
        DateTime.SpecifyKind(t, t.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : t.Kind).ToUniversalTime()
            .ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Turns the provider's history (DTFx events, event types as numbers) into Durable Functions' history
    /// view: event and status names as text; a task's or sub-orchestration's scheduling event folded into its
    /// completion (which gains FunctionName and ScheduledTime); episode markers, event ids, inputs and replay flags
    /// left out; results only with <paramref name="showOutput"/>.</summary>
    public static JsonArray History(string historyJson, bool showOutput)
    {
        if (JsonNode.Parse(historyJson) is not JsonArray events) return [];
        var scheduled = new Dictionary<(EventType, int), JsonObject>();
        var dropped = new HashSet<JsonObject>(ReferenceEqualityComparer.Instance);
        foreach (var node in events)
        {
            if (node is not JsonObject e || !TryEventType(e["EventType"], out var type)) continue;
            e["EventType"] = type.ToString();
            switch (type)
            {
                case EventType.TaskScheduled:
                case EventType.SubOrchestrationInstanceCreated:
                    if (Int(e["EventId"]) is { } id) scheduled[(type, id)] = e;
                    e.Remove("Version");
                    e.Remove("Input");
                    break;
                case EventType.TaskCompleted:
                case EventType.TaskFailed:
                    FoldScheduling(e, EventType.TaskScheduled, scheduled, dropped);
                    Result(e, showOutput && type == EventType.TaskCompleted);
                    break;
                case EventType.SubOrchestrationInstanceCompleted:
                case EventType.SubOrchestrationInstanceFailed:
                    FoldScheduling(e, EventType.SubOrchestrationInstanceCreated, scheduled, dropped);
                    Result(e, showOutput && type == EventType.SubOrchestrationInstanceCompleted);
                    break;
                case EventType.ExecutionStarted:
                    e["FunctionName"] = e["Name"]?.DeepClone();
                    foreach (var name in (string[])["Name", "OrchestrationInstance", "ParentInstance", "Version", "Tags", "Input"]) e.Remove(name);
                    break;
                case EventType.ExecutionCompleted:
                    if (Int(e["OrchestrationStatus"]) is { } status) e["OrchestrationStatus"] = ((OrchestrationStatus)status).ToString();
                    Result(e, showOutput);
                    break;
                case EventType.ExecutionTerminated:
                case EventType.EventRaised:
                    e.Remove("Input");
                    break;
                case EventType.TimerFired:
                    e.Remove("TimerId");
                    break;
                case EventType.OrchestratorStarted:
                case EventType.OrchestratorCompleted:
                    dropped.Add(e);
                    break;
            }
            e.Remove("EventId");
            e.Remove("IsPlayed");
        }
        return [.. events.Where(n => n is not JsonObject o || !dropped.Contains(o)).Select(n => n?.DeepClone())];
    }

    private static void FoldScheduling(JsonObject completion, EventType scheduling, Dictionary<(EventType, int), JsonObject> scheduled,
        HashSet<JsonObject> dropped)
    {
        if (Int(completion["TaskScheduledId"]) is { } id && scheduled.TryGetValue((scheduling, id), out var start))
        {
            completion["ScheduledTime"] = start["Timestamp"]?.DeepClone();
            completion["FunctionName"] = start["Name"]?.DeepClone();
            dropped.Add(start);
        }
        completion.Remove("TaskScheduledId");
    }

    private static void Result(JsonObject e, bool show)
    {
        if (!show)
        {
            e.Remove("Result");
            return;
        }
        if (e["Result"] is JsonValue v && v.TryGetValue<string>(out var text)) e["Result"] = Payload(text);
    }

    private static bool TryEventType(JsonNode? node, out EventType type)
    {
        type = default;
        if (Int(node) is { } n && Enum.IsDefined((EventType)n))
        {
            type = (EventType)n;
            return true;
        }
        return node is JsonValue v && v.TryGetValue<string>(out var s) && Enum.TryParse(s, out type);
    }

    private static int? Int(JsonNode? node) => node is JsonValue v && v.TryGetValue<int>(out var n) ? n : null;
}
