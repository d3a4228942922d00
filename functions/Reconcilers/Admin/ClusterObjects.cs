using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Admin;

/// <summary>The objects that make up one cluster, as admin views (no spec, no data).</summary>
public sealed record ClusterObjects(
    ObjectView Cluster,
    ObjectView? InfrastructureCluster,
    ObjectView? ControlPlane,
    IReadOnlyList<ObjectView> MachineDeployments,
    IReadOnlyList<ObjectView> MachineSets,
    IReadOnlyList<ObjectView> Machines)
{
    /// <summary>Every object, cluster first.</summary>
    public IEnumerable<ObjectView> All =>
        new[] { Cluster, InfrastructureCluster, ControlPlane }.OfType<ObjectView>().Concat(MachineDeployments).Concat(MachineSets).Concat(Machines);

    public TreeNode ToTree(bool showMachineSets = false, Func<ObjectView, string?>? workflowOf = null) =>
        ClusterTree.Build(Cluster, InfrastructureCluster, ControlPlane, MachineDeployments, MachineSets, Machines, showMachineSets, workflowOf);

    /// <summary>Reads a cluster and its parts from the management cluster; null when the Cluster does not exist.</summary>
    public static async Task<ClusterObjects?> LoadAsync(KubeApi kube, string ns, string name, CancellationToken ct)
    {
        CapiResources.Register();
        var cluster = await kube.GetAsync(ns, new ContractVersionedObjectReference { ApiGroup = CapiGroups.Core, Kind = Api.Cluster.KubeKind, Name = name }, ct);
        if (cluster is null) return null;
        var infra = await kube.GetReferencedAsync(ns, cluster["spec"]?["infrastructureRef"], ct);
        var controlPlane = await kube.GetReferencedAsync(ns, cluster["spec"]?["controlPlaneRef"], ct);
        var selector = $"{CapiLabels.ClusterName}={name}";
        async Task<IReadOnlyList<ObjectView>> List(string kind) =>
            (await kube.ListJsonAsync(CapiResources.For(CapiGroups.Core, kind), ns, selector, ct)).Select(ObjectView.From).ToList();
        return new ClusterObjects(
            ObjectView.From(cluster),
            infra is null ? null : ObjectView.From(infra),
            controlPlane is null ? null : ObjectView.From(controlPlane),
            await List(MachineDeployment.KubeKind),
            await List(MachineSet.KubeKind),
            await List(Api.Machine.KubeKind));
    }
}
