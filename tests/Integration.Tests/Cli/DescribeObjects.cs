using ServerlessCapi.Cli.Describe;

namespace ServerlessCapi.Integration.Tests.Cli;

/// <summary>Builders for the objects <c>describe</c> arranges, with conditions given as "Type=Status/Reason".</summary>
internal static class DescribeObjects
{
    public const string Ns = "ns";
    public static readonly DateTimeOffset Now = new(2026, 12, 8, 12, 0, 0, TimeSpan.Zero);

    /// <summary>"Ready=True/Ready" or "Ready=False/NotReady:some message", changed <paramref name="ago"/> before <see cref="Now"/>.</summary>
    public static ObjectCondition C(string spec, TimeSpan? ago = null)
    {
        var (head, message) = spec.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? (spec[..colon], spec[(colon + 1)..]) : (spec, null);
        var type = head[..head.IndexOf('=', StringComparison.Ordinal)];
        var rest = head[(type.Length + 1)..].Split('/');
        return new ObjectCondition(type, rest[0], rest.Length > 1 ? rest[1] : null, message, Now - (ago ?? TimeSpan.FromMinutes(5)));
    }

    public static DescribedObject Cluster(string name, ReplicaCounters? replicas, params ObjectCondition[] conditions) =>
        new(ObjectRole.Cluster, "Cluster", Ns, name) { Conditions = conditions, Replicas = replicas };

    public static DescribedObject Infra(string kind, string name, params ObjectCondition[] conditions) =>
        new(ObjectRole.Other, kind, Ns, name) { Conditions = conditions };

    public static DescribedObject ControlPlane(string name, ReplicaCounters replicas, params ObjectCondition[] conditions) =>
        new(ObjectRole.ControlPlane, "KubeadmControlPlane", Ns, name)
        {
            Conditions = conditions,
            Replicas = replicas,
            Version = "v1.33.0",
            InfrastructureRef = new ObjectRef("infrastructure.cluster.x-k8s.io", "DevMachineTemplate", name),
        };

    public static DescribedObject Deployment(string name, ReplicaCounters replicas, params ObjectCondition[] conditions) =>
        new(ObjectRole.MachineDeployment, "MachineDeployment", Ns, name)
        {
            Conditions = conditions,
            Replicas = replicas,
            Version = "v1.33.0",
            InfrastructureRef = new ObjectRef("infrastructure.cluster.x-k8s.io", "DevMachineTemplate", name),
            BootstrapRef = new ObjectRef("bootstrap.cluster.x-k8s.io", "KubeadmConfigTemplate", name),
        };

    public static DescribedObject Set(string name, string deployment, ReplicaCounters replicas) =>
        new(ObjectRole.MachineSet, "MachineSet", Ns, name) { Replicas = replicas, Version = "v1.33.0", Controller = ("MachineDeployment", deployment) };

    /// <summary>A Machine controlled by <paramref name="owner"/> ("KubeadmControlPlane/cp" or "MachineSet/ms").</summary>
    public static DescribedObject Machine(string name, string owner, params ObjectCondition[] conditions)
    {
        var (kind, ownerName) = (owner[..owner.IndexOf('/', StringComparison.Ordinal)], owner[(owner.IndexOf('/', StringComparison.Ordinal) + 1)..]);
        return new DescribedObject(ObjectRole.Machine, "Machine", Ns, name)
        {
            Conditions = conditions,
            Version = "v1.33.0",
            Controller = (kind, ownerName),
            Labels = kind == "KubeadmControlPlane" ? new Dictionary<string, string> { [DescribedObject.ControlPlaneLabel] = "" } : new Dictionary<string, string>(),
        };
    }

    /// <summary>Machines ready, available and up to date.</summary>
    public static ObjectCondition[] Healthy(TimeSpan? ago = null) =>
        [C("Available=True/Available", ago), C("Ready=True/Ready", ago), C("UpToDate=True/UpToDate", ago)];

    public static ClusterSnapshot Snapshot(DescribedObject cluster, DescribedObject? infra, DescribedObject? cp, IEnumerable<DescribedObject> deployments,
        IEnumerable<DescribedObject> sets, IEnumerable<DescribedObject> machines, Dictionary<string, IReadOnlyList<DescribedObject>>? parts = null) =>
        new(cluster, infra, cp, [.. deployments], [.. sets], [.. machines], parts ?? []);
}
