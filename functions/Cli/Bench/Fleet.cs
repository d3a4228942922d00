using System.Globalization;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;

namespace ServerlessCapi.Cli.Bench;

/// <summary>The shape of a benchmark fleet: N clusters, each a KubeadmControlPlane of C and a MachineDeployment of W
/// on in-memory infrastructure, built from the quickstart sample; with the quickstart's MachineHealthCheck on the workers
/// when <paramref name="HealthChecks"/> is set.</summary>
internal sealed record FleetShape(int Clusters, int ControlPlane, int Workers, string Namespace, TimeSpan BootTime, bool HealthChecks = true)
{
    public int Machines => Clusters * (ControlPlane + Workers);

    public static string ClusterName(int i) => $"c{i:00000}";

    /// <summary>The objects of cluster <paramref name="i"/>, as the quickstart has them but renamed and resized.</summary>
    public IReadOnlyList<JsonObject> Objects(int i)
    {
        var name = ClusterName(i);
        var boot = $"{BootTime.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s";
        var text = File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "quickstart.yaml"))
            .Replace("name: demo", $"name: {name}", StringComparison.Ordinal)
            .Replace(": demo-", $": {name}-", StringComparison.Ordinal)
            .Replace("clusterName: demo", $"clusterName: {name}", StringComparison.Ordinal)
            .Replace("namespace: default", $"namespace: {Namespace}", StringComparison.Ordinal)
            .Replace("startupDuration: 2s", $"startupDuration: {boot}", StringComparison.Ordinal)
            .Replace("startupDuration: 1s", $"startupDuration: {boot}", StringComparison.Ordinal);
        var objects = ManifestApplier.Parse(text);
        if (!HealthChecks) objects = [.. objects.Where(o => o["kind"]?.GetValue<string>() != "MachineHealthCheck")];
        foreach (var o in objects)
        {
            var kind = o["kind"]?.GetValue<string>();
            if (kind == "KubeadmControlPlane") o["spec"]!["replicas"] = ControlPlane;
            if (kind == "MachineDeployment") o["spec"]!["replicas"] = Workers;
        }
        return objects;
    }
}

/// <summary>What the fleet looks like right now, from one list of Clusters and one of Machines.</summary>
internal sealed record FleetState(int Clusters, int ClustersAvailable, int Machines, int Running, IReadOnlyList<JsonObject> MachineObjects)
{
    public static async Task<FleetState> ReadAsync(KubeApi kube, string ns, CancellationToken ct)
    {
        var clusters = await ListAsync(kube, "clusters", ns, ct);
        var machines = await ListAsync(kube, "machines", ns, ct);
        return new FleetState(
            clusters.Count,
            clusters.Count(c => (c["status"]?["conditions"] as JsonArray ?? []).Any(x => x?["type"]?.GetValue<string>() == "Available" && x["status"]?.GetValue<string>() == "True")),
            machines.Count,
            machines.Count(m => m["status"]?["phase"]?.GetValue<string>() == "Running"),
            machines);
    }

    public static async Task<List<JsonObject>> ListAsync(KubeApi kube, string plural, string ns, CancellationToken ct, string group = "cluster.x-k8s.io")
    {
        var items = new List<JsonObject>();
        string? next = null;
        do
        {
            var path = $"/apis/{group}/v1beta2/namespaces/{ns}/{plural}?limit=500" + (next is null ? "" : $"&continue={Uri.EscapeDataString(next)}");
            var page = await kube.SendAsync<JsonObject>(HttpMethod.Get, path, null, null, ct);
            items.AddRange((page?["items"] as JsonArray ?? []).OfType<JsonObject>());
            next = page?["metadata"]?["continue"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(next));
        return items;
    }

    /// <summary>Seconds from each Running Machine's creation to its transition to Running (status.lastUpdated,
    /// which CAPI sets when the phase changes; both at one-second resolution).</summary>
    public IReadOnlyList<double> CreationToRunningSeconds() =>
        MachineObjects
            .Where(m => m["status"]?["phase"]?.GetValue<string>() == "Running")
            .Select(m => (Created: Time(m["metadata"]?["creationTimestamp"]), Updated: Time(m["status"]?["lastUpdated"])))
            .Where(p => p.Created is not null && p.Updated is not null)
            .Select(p => (p.Updated!.Value - p.Created!.Value).TotalSeconds)
            .ToList();

    private static DateTimeOffset? Time(JsonNode? node) =>
        node?.GetValue<string>() is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t) ? t : null;
}
