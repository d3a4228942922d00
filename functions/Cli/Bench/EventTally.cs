using System.Text.Json.Nodes;

namespace ServerlessCapi.Cli.Bench;

/// <summary>The Kubernetes Events a fleet's reconcilers left in its namespace, read back from the API server: how many
/// Event objects, how many occurrences they stand for (a series counts each repeat), and which reasons.</summary>
internal static class EventTally
{
    private const int Page = 500;

    /// <remarks>Its list requests count as the bench's own, so they are not charged to the fleet.</remarks>
    public static async Task<Dictionary<string, object?>> ReadAsync(FleetRun run, CancellationToken ct)
    {
        var (kube, ns, machines) = (run.Kube, run.Shape.Namespace, run.Shape.Machines);
        long objects = 0, occurrences = 0, warnings = 0, pages = 0;
        var byReason = new Dictionary<string, long>(StringComparer.Ordinal);
        string? next = null;
        do
        {
            var query = $"/api/v1/namespaces/{Uri.EscapeDataString(ns)}/events?limit={Page}" + (next is null ? "" : $"&continue={Uri.EscapeDataString(next)}");
            var list = await kube.SendAsync<JsonObject>(HttpMethod.Get, query, null, null, ct);
            pages++;
            foreach (var e in (list?["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var count = Occurrences(e);
                objects++;
                occurrences += count;
                if (e["type"]?.GetValue<string>() == "Warning") warnings += count;
                var reason = e["reason"]?.GetValue<string>() ?? "";
                byReason[reason] = byReason.GetValueOrDefault(reason) + count;
            }
            next = list?["metadata"]?["continue"]?.GetValue<string>() is { Length: > 0 } c ? c : null;
        }
        while (next is not null);
        lock (run.OwnRequests) run.OwnRequests["list"] = run.OwnRequests.GetValueOrDefault("list") + pages;
        return new Dictionary<string, object?>
        {
            ["objects"] = objects,
            ["occurrences"] = occurrences,
            ["warnings"] = warnings,
            ["perMachine"] = machines == 0 ? 0 : Math.Round(occurrences / (double)machines, 2),
            ["byReason"] = byReason.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value),
        };
    }

    /// <summary>One for a singleton; a series' count; the legacy count of an Event written through core v1.</summary>
    private static long Occurrences(JsonObject e) =>
        e["series"]?["count"] is JsonValue s && s.TryGetValue<long>(out var series) ? series
        : e["count"] is JsonValue c && c.TryGetValue<long>(out var count) && count > 0 ? count
        : 1;
}
