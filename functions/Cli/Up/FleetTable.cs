using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Cli.Up;

/// <summary>Prints clusters and machines the way <c>kubectl get clusters,machines</c> would.</summary>
internal static class FleetTable
{
    public static async Task PrintAsync(KubeApi kube, CancellationToken ct)
    {
        var clusters = await FleetSnapshot.ListAsync(kube, "clusters", null, ct);
        Console.WriteLine();
        Console.WriteLine($"{"NAMESPACE",-12} {"CLUSTER",-24} {"PHASE",-14}");
        foreach (var c in clusters)
            Console.WriteLine($"{c?["metadata"]?["namespace"],-12} {c?["metadata"]?["name"],-24} {c?["status"]?["phase"] ?? "Pending",-14}");
        var machines = await FleetSnapshot.ListAsync(kube, "machines", null, ct);
        Console.WriteLine();
        Console.WriteLine($"{"NAME",-32} {"CLUSTER",-16} {"NODE NAME",-32} {"PROVIDER ID",-44} {"PHASE",-13} {"VERSION"}");
        foreach (var m in machines.OrderBy(m => m?["metadata"]?["name"]?.GetValue<string>(), StringComparer.Ordinal))
        {
            Console.WriteLine(
                $"{m?["metadata"]?["name"],-32} {m?["spec"]?["clusterName"],-16} {m?["status"]?["nodeRef"]?["name"],-32} " +
                $"{m?["spec"]?["providerID"],-44} {m?["status"]?["phase"] ?? "Pending",-13} {m?["spec"]?["version"]}");
        }
    }
}
