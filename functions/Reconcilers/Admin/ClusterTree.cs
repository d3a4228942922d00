namespace ServerlessCapi.Reconcilers.Admin;

/// <summary>One row-to-be of the cluster tree: an object (or a grouping label such as "Workers") and its children.</summary>
public sealed record TreeNode(string Label, ObjectView? Object, IReadOnlyList<TreeNode> Children)
{
    /// <summary>The runtime status of the object's workflow instance, when known (admin API).</summary>
    public string? Workflow { get; init; }
}

/// <summary>Arranges a cluster's objects the way <c>clusterctl describe cluster</c> does: infrastructure,
/// control plane with its Machines, then the workers (MachineDeployments, MachineSets, Machines).</summary>
public static class ClusterTree
{
    public const string ControlPlaneLabel = "cluster.x-k8s.io/control-plane";

    /// <summary>Builds the tree. <paramref name="showMachineSets"/> adds the MachineSet level between a
    /// MachineDeployment and its Machines (clusterctl hides it).</summary>
    public static TreeNode Build(
        ObjectView cluster,
        ObjectView? infrastructureCluster,
        ObjectView? controlPlane,
        IEnumerable<ObjectView> machineDeployments,
        IEnumerable<ObjectView> machineSets,
        IEnumerable<ObjectView> machines,
        bool showMachineSets = false,
        Func<ObjectView, string?>? workflowOf = null)
    {
        TreeNode Node(string label, ObjectView o, IReadOnlyList<TreeNode>? children = null) =>
            new(label, o, children ?? []) { Workflow = workflowOf?.Invoke(o) };

        var remaining = machines.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        List<TreeNode> TakeMachines(Func<ObjectView, bool> belongs)
        {
            var taken = remaining.Where(belongs).ToList();
            remaining.RemoveAll(taken.Contains);
            return taken.Select(m => Node($"Machine/{m.Name}", m)).ToList();
        }
        static bool ControlledBy(ObjectView child, ObjectView owner) =>
            child.ControllerOwner is { } o && o.Kind == owner.Kind && o.Name == owner.Name;

        var top = new List<TreeNode>();
        if (infrastructureCluster is not null)
            top.Add(Node($"ClusterInfrastructure - {infrastructureCluster.Kind}/{infrastructureCluster.Name}", infrastructureCluster));
        if (controlPlane is not null)
        {
            top.Add(Node($"ControlPlane - {controlPlane.Kind}/{controlPlane.Name}", controlPlane,
                TakeMachines(m => ControlledBy(m, controlPlane))));
        }
        var orphanControlPlaneMachines = TakeMachines(m => m.Labels.ContainsKey(ControlPlaneLabel));
        if (orphanControlPlaneMachines.Count > 0)
            top.Add(new TreeNode("ControlPlane", null, orphanControlPlaneMachines));

        var sets = machineSets.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var workers = new List<TreeNode>();
        foreach (var md in machineDeployments.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var owned = sets.Where(s => ControlledBy(s, md)).ToList();
            sets.RemoveAll(owned.Contains);
            var children = showMachineSets
                ? owned.Select(s => Node($"MachineSet/{s.Name}", s, TakeMachines(m => ControlledBy(m, s)))).ToList()
                : TakeMachines(m => owned.Any(s => ControlledBy(m, s)));
            workers.Add(Node($"MachineDeployment/{md.Name}", md, children));
        }
        foreach (var ms in sets)
            workers.Add(Node($"MachineSet/{ms.Name}", ms, TakeMachines(m => ControlledBy(m, ms))));
        workers.AddRange(TakeMachines(_ => true));
        if (workers.Count > 0)
            top.Add(new TreeNode("Workers", null, workers));

        return Node($"Cluster/{cluster.Name}", cluster, top);
    }
}
