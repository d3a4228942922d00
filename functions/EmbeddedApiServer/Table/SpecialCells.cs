using System.Text.Json.Nodes;

namespace ServerlessCapi.EmbeddedApiServer.Table;

/// <summary>Built-in columns that are not a plain JSONPath (counts, node status and roles, event objects).</summary>
internal static class SpecialCells
{
    public static JsonNode? Evaluate(string spec, JsonObject obj, DateTime now)
    {
        if (spec.StartsWith("#event", StringComparison.Ordinal)) return EventCells.Evaluate(spec, obj, now);
        if (spec.StartsWith("#trim(", StringComparison.Ordinal))
            return JsonPathLite.Find(obj, spec[6..^1]).FirstOrDefault() is { } found ? JsonPathLite.Text(found).Trim() : null;
        if (spec.StartsWith("#count(", StringComparison.Ordinal))
        {
            var paths = spec[7..^1].Split(',');
            return paths.Sum(p => JsonPathLite.Find(obj, p).FirstOrDefault() switch
            {
                JsonObject o => o.Count,
                JsonArray a => a.Count,
                _ => 0,
            });
        }
        if (spec.StartsWith("#object(", StringComparison.Ordinal))
        {
            var target = JsonPathLite.Find(obj, spec[8..^1]).FirstOrDefault() as JsonObject;
            return target is null ? null : $"{target["kind"]?.GetValue<string>()?.ToLowerInvariant()}/{target["name"]?.GetValue<string>()}";
        }
        return spec switch
        {
            "#nodeStatus" => NodeStatus(obj),
            "#nodeRoles" => NodeRoles(obj),
            _ => null,
        };
    }

    private static string NodeStatus(JsonObject node)
    {
        var ready = (node["status"]?["conditions"] as JsonArray)?.OfType<JsonObject>()
            .FirstOrDefault(c => c["type"]?.GetValue<string>() == "Ready")?["status"]?.GetValue<string>();
        var status = ready switch { "True" => "Ready", null => "Unknown", _ => "NotReady" };
        if (node["spec"]?["unschedulable"]?.GetValue<bool>() == true) status += ",SchedulingDisabled";
        return status;
    }

    private static string NodeRoles(JsonObject node)
    {
        const string prefix = "node-role.kubernetes.io/";
        var roles = (node["metadata"]?["labels"] as JsonObject)?.Select(l => l.Key)
            .Where(k => k.StartsWith(prefix, StringComparison.Ordinal)).Select(k => k[prefix.Length..]).Order(StringComparer.Ordinal).ToList() ?? [];
        return roles.Count == 0 ? "<none>" : string.Join(',', roles);
    }
}
