namespace ServerlessCapi.Cli.Describe;

/// <summary>The choices <c>describe cluster</c> offers, with clusterctl's flags and defaults.</summary>
/// <param name="ShowConditions">Comma-separated <c>all</c>, kinds or kind/name whose every condition gets a row; a
/// <c>+</c> suffix keeps only conditions out of their normal state or with a message.</param>
/// <param name="ShowMachineSets">Show MachineSets between MachineDeployments and their Machines.</param>
/// <param name="ShowTemplates">Show the infrastructure and bootstrap templates of control planes and MachineDeployments.</param>
/// <param name="Echo">Show infrastructure machines and bootstrap configs even when they only repeat their Machine's
/// readiness (or are ready).</param>
/// <param name="Grouping">Collapse sibling Machines in the same state into one row.</param>
internal sealed record DescribeOptions(
    string? ShowConditions = null,
    bool ShowMachineSets = false,
    bool ShowTemplates = false,
    bool Echo = false,
    bool Grouping = true);

/// <summary>Arranges a cluster's objects as <c>clusterctl describe cluster</c> does: the infrastructure cluster, the
/// control plane with its Machines, and under Workers the MachineDeployments (optionally their MachineSets) with their
/// Machines; Machines nobody controls go under Workers/Other. Pure: no I/O.</summary>
internal static class ClusterTreeBuilder
{
    private const string MachineSetKind = "MachineSet";
    private const string MachineDeploymentKind = "MachineDeployment";

    public static TreeNode Build(ClusterSnapshot s, DescribeOptions o)
    {
        var root = Add(null, TreeNode.For(s.Cluster), o);
        if (s.InfrastructureCluster is { } infra) Add(root, TreeNode.For(infra), o);

        var unplaced = s.Machines.OrderBy(m => m.Name, StringComparer.Ordinal).ToList();
        List<DescribedObject> Take(Func<DescribedObject, bool> belongs)
        {
            var taken = unplaced.Where(belongs).ToList();
            unplaced.RemoveAll(taken.Contains);
            return taken;
        }

        if (s.ControlPlane is { } cp)
        {
            var cpNode = Add(root, TreeNode.For(cp), o);
            if (o.ShowTemplates && cp.InfrastructureRef is { } template)
                Add(Add(cpNode, TreeNode.Label("Templates", order: 1), o), TreeNode.Reference(template, cp.Namespace), o);
            AddMachines(cpNode, Take(m => m.IsControlPlaneMachine), s, o, grouping: true);
        }

        var workers = TreeNode.Label("Workers");
        var sets = s.MachineSets.ToList();
        foreach (var md in s.MachineDeployments.OrderBy(d => d.Name, StringComparer.Ordinal))
        {
            var mdNode = Add(workers, TreeNode.For(md), o);
            if (o.ShowTemplates && (md.BootstrapRef is not null || md.InfrastructureRef is not null))
            {
                var templates = Add(mdNode, TreeNode.Label("Templates", order: 1), o);
                if (md.BootstrapRef is { } bootstrap) Add(templates, TreeNode.Reference(bootstrap, md.Namespace), o);
                if (md.InfrastructureRef is { } infrastructure) Add(templates, TreeNode.Reference(infrastructure, md.Namespace), o);
            }
            var owned = sets.Where(ms => ControlledBy(ms, MachineDeploymentKind, md.Name)).OrderBy(ms => ms.Name, StringComparer.Ordinal).ToList();
            if (o.ShowMachineSets)
            {
                foreach (var ms in owned)
                    AddMachines(Add(mdNode, TreeNode.For(ms), o), Take(m => ControlledBy(m, MachineSetKind, ms.Name)), s, o, grouping: true);
            }
            else
            {
                AddMachines(mdNode, Take(m => owned.Any(ms => ControlledBy(m, MachineSetKind, ms.Name))), s, o, grouping: true);
            }
        }
        if (unplaced.Count > 0)
            AddMachines(Add(workers, TreeNode.Label("Other"), o), Take(_ => true), s, o, grouping: false);
        if (workers.Children.Count > 0) Add(root, workers, o);
        return root;
    }

    /// <summary>Machines under <paramref name="parent"/>; with grouping, those sharing their Available, Ready and
    /// UpToDate status and reason become one row, and only a Machine on a row of its own shows its parts.</summary>
    private static void AddMachines(TreeNode parent, IReadOnlyList<DescribedObject> machines, ClusterSnapshot s, DescribeOptions o, bool grouping)
    {
        var partitions = grouping && o.Grouping
            ? machines.GroupBy(StateKey).Select(g => g.ToList()).ToList()
            : machines.Select(m => new List<DescribedObject> { m }).ToList();
        foreach (var members in partitions)
        {
            if (members.Count > 1)
            {
                Add(parent, Group(members), o);
                continue;
            }
            var machine = members[0];
            var node = Add(parent, TreeNode.For(machine), o);
            foreach (var part in s.MachineParts.GetValueOrDefault(machine.Name) ?? [])
            {
                if (o.Echo || !IsEcho(machine, part)) Add(node, TreeNode.For(part), o);
            }
        }
    }

    /// <summary>A part says nothing new when it is ready, or as (not) ready as its Machine for the same reason.</summary>
    internal static bool IsEcho(DescribedObject machine, DescribedObject part)
    {
        var partReady = part.Condition("Ready");
        return partReady?.Status == "True" || SameStatusAndReason(machine.Condition("Ready"), partReady);
    }

    internal static string StateKey(DescribedObject m) =>
        string.Join('|', new[] { "Available", "Ready", "UpToDate" }.Select(t => m.Condition(t) is { } c ? $"{c.Status}/{c.Reason}" : "-"));

    private static bool SameStatusAndReason(ObjectCondition? a, ObjectCondition? b) =>
        (a is null && b is null) || (a is not null && b is not null && a.Status == b.Status && a.Reason == b.Reason);

    private static TreeNode Group(List<DescribedObject> members)
    {
        var first = members[0];
        var ready = first.Condition("Ready");
        var since = members.Select(m => m.Condition("Ready")?.LastTransitionTime).Where(t => t is not null).Min();
        return new TreeNode
        {
            NodeKind = NodeKind.Group,
            Kind = first.Kind,
            Namespace = first.Namespace,
            GroupItems = members.Select(m => m.Name).Order(StringComparer.Ordinal).ToList(),
            GroupAvailable = members.Count(m => m.Condition("Available")?.Status == "True"),
            GroupReady = members.Count(m => m.Condition("Ready")?.Status == "True"),
            GroupUpToDate = members.Count(m => m.Condition("UpToDate")?.Status == "True"),
            GroupReadyCondition = ready is null ? null : ready with { Message = null, LastTransitionTime = since },
        };
    }

    private static bool ControlledBy(DescribedObject child, string kind, string name) =>
        child.Controller is { } c && c.Kind == kind && c.Name == name;

    private static TreeNode Add(TreeNode? parent, TreeNode child, DescribeOptions o)
    {
        child.ShowConditions = child.NodeKind == NodeKind.Group ? ConditionFilter.None : ShowConditionsFilter.For(o.ShowConditions, child.Kind, child.Name);
        parent?.Children.Add(child);
        return child;
    }
}
