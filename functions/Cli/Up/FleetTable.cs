using System.Text.Json.Nodes;
using ServerlessCapi.Cli.Tables;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Cli.Up;

/// <summary>Prints clusters and machines the way <c>kubectl get clusters,machines</c> would, each column as wide as
/// its content and cut to the terminal's width when it is narrower.</summary>
internal static class FleetTable
{
    private static readonly TextColumn[] ClusterColumns =
    [
        new("NAMESPACE", Cut.End), new("NAME", Cut.End, 16), new("PHASE"), new("AVAILABLE"), new("VERSION"),
    ];

    private static readonly TextColumn[] MachineColumns =
    [
        new("NAME", Cut.End, 20), new("CLUSTER", Cut.End), new("NODE NAME", Cut.End, 16), new("PROVIDER ID", Cut.Middle, 20),
        new("PHASE"), new("VERSION"),
    ];

    public static async Task PrintAsync(KubeApi kube, CancellationToken ct)
    {
        var clusters = await FleetSnapshot.ListAsync(kube, "clusters", null, ct);
        var machines = await FleetSnapshot.ListAsync(kube, "machines", null, ct);
        var width = TextTable.ConsoleWidth();
        Console.WriteLine();
        Console.Write(RenderClusters(clusters, width));
        Console.WriteLine();
        Console.Write(RenderMachines(machines, width));
    }

    public static string RenderClusters(IEnumerable<JsonNode?> clusters, int maxWidth) =>
        TextTable.Render(ClusterColumns, clusters
            .OrderBy(c => Text(c, "metadata", "namespace"), StringComparer.Ordinal)
            .ThenBy(c => Text(c, "metadata", "name"), StringComparer.Ordinal)
            .Select(c => new[]
            {
                Text(c, "metadata", "namespace"), Text(c, "metadata", "name"), Text(c, "status", "phase") is { Length: > 0 } p ? p : "Pending",
                ConditionStatus(c, "Available"), Text(c, "spec", "topology", "version"),
            }), maxWidth);

    public static string RenderMachines(IEnumerable<JsonNode?> machines, int maxWidth) =>
        TextTable.Render(MachineColumns, machines
            .OrderBy(m => Text(m, "metadata", "namespace"), StringComparer.Ordinal)
            .ThenBy(m => Text(m, "metadata", "name"), StringComparer.Ordinal)
            .Select(m => new[]
            {
                Text(m, "metadata", "name"), Text(m, "spec", "clusterName"), Text(m, "status", "nodeRef", "name"),
                Text(m, "spec", "providerID"), Text(m, "status", "phase") is { Length: > 0 } p ? p : "Pending", Text(m, "spec", "version"),
            }), maxWidth);

    private static string ConditionStatus(JsonNode? obj, string type) =>
        (obj?["status"]?["conditions"] as JsonArray ?? []).FirstOrDefault(c => Text(c, "type") == type) is { } c ? Text(c, "status") : "";

    private static string Text(JsonNode? node, params string[] path)
    {
        foreach (var key in path) node = node?[key];
        return node is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
    }
}
