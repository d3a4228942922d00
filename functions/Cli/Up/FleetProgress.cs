using System.Text.Json.Nodes;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Cli.Up;

/// <summary>A snapshot of clusters and machines by phase, read from the management cluster.</summary>
internal sealed record FleetSnapshot(
    IReadOnlyDictionary<string, int> ClusterPhases,
    IReadOnlyDictionary<string, int> MachinePhases,
    int Clusters,
    int Machines,
    int ClustersAvailable = 0)
{
    public static readonly string[] MachinePhaseOrder = ["Pending", "Provisioning", "Provisioned", "Running", "Updating", "Deleting", "Failed", "Unknown"];

    public int MachinesIn(string phase) => MachinePhases.TryGetValue(phase, out var n) ? n : 0;
    public int ClustersIn(string phase) => ClusterPhases.TryGetValue(phase, out var n) ? n : 0;

    /// <summary>Every cluster provisioned and Available (its control plane and workers at their desired counts) and
    /// every machine running (and at least one of each).</summary>
    public bool AllReady => Clusters > 0 && Machines > 0 && ClustersIn("Provisioned") == Clusters && ClustersAvailable == Clusters
                            && MachinesIn("Running") == Machines;

    public string ToLine() =>
        $"clusters {ClustersIn("Provisioned")}/{Clusters} provisioned, {ClustersAvailable}/{Clusters} available · machines " +
        string.Join(" ", MachinePhaseOrder.Where(p => MachinesIn(p) > 0).Select(p => $"{p}={MachinesIn(p)}")) +
        $" (of {Machines})";

    public static async Task<FleetSnapshot> ReadAsync(KubeApi kube, string? ns, CancellationToken ct)
    {
        var clusters = await ListAsync(kube, "clusters", ns, ct);
        var machines = await ListAsync(kube, "machines", ns, ct);
        var available = clusters.Count(c => (c?["status"]?["conditions"] as JsonArray ?? [])
            .Any(x => x?["type"]?.GetValue<string>() == "Available" && x["status"]?.GetValue<string>() == "True"));
        return new FleetSnapshot(CountPhases(clusters), CountPhases(machines), clusters.Count, machines.Count, available);
    }

    private static Dictionary<string, int> CountPhases(IEnumerable<JsonNode?> items) =>
        items.GroupBy(i => i?["status"]?["phase"]?.GetValue<string>() ?? "Pending")
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    internal static async Task<List<JsonNode?>> ListAsync(KubeApi kube, string plural, string? ns, CancellationToken ct)
    {
        var path = ns is null ? $"/apis/cluster.x-k8s.io/v1beta2/{plural}" : $"/apis/cluster.x-k8s.io/v1beta2/namespaces/{ns}/{plural}";
        var list = await kube.SendAsync<JsonObject>(HttpMethod.Get, path, null, null, ct);
        return list?["items"]?.AsArray().ToList() ?? [];
    }
}
