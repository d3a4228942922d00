namespace ServerlessCapi.Cli.Describe;

/// <summary>Everything <c>describe</c> read for one cluster.</summary>
/// <param name="MachineParts">By Machine name: its infrastructure machine and bootstrap config, when they exist.</param>
internal sealed record ClusterSnapshot(
    DescribedObject Cluster,
    DescribedObject? InfrastructureCluster,
    DescribedObject? ControlPlane,
    IReadOnlyList<DescribedObject> MachineDeployments,
    IReadOnlyList<DescribedObject> MachineSets,
    IReadOnlyList<DescribedObject> Machines,
    IReadOnlyDictionary<string, IReadOnlyList<DescribedObject>> MachineParts);

/// <summary>Which conditions of an object get rows of their own (<c>--show-conditions</c>).</summary>
internal enum ConditionFilter
{
    None,
    All,
    /// <summary>Only those not in their normal state, or with a message (the <c>+</c> suffix).</summary>
    NonZero,
}

/// <summary>What a row of the tree stands for.</summary>
internal enum NodeKind
{
    /// <summary>A real object read from the management cluster.</summary>
    Object,
    /// <summary>A label that groups real rows: Workers, Other, Templates.</summary>
    Virtual,
    /// <summary>Sibling Machines in the same state, collapsed into one row.</summary>
    Group,
    /// <summary>A template named by a reference, not read (its name is all there is to show).</summary>
    Reference,
}

/// <summary>One row-to-be of the tree and its children.</summary>
internal sealed class TreeNode
{
    public required NodeKind NodeKind { get; init; }
    /// <summary>The object's kind; for virtual rows their label (Workers); for groups the grouped kind.</summary>
    public required string Kind { get; init; }
    public string Namespace { get; init; } = "";
    public string Name { get; init; } = "";
    public DescribedObject? Object { get; init; }
    /// <summary>Children with a higher order print first; equal orders print by row name.</summary>
    public int Order { get; init; }
    public List<TreeNode> Children { get; } = [];
    public ConditionFilter ShowConditions { get; set; }
    /// <summary>The runtime status of the object's workflow, when the admin API was asked.</summary>
    public string? Workflow { get; set; }

    /// <summary>Group rows: the names grouped (sorted), and how many of them are available, ready and up to date.</summary>
    public IReadOnlyList<string> GroupItems { get; init; } = [];
    public int GroupAvailable { get; init; }
    public int GroupReady { get; init; }
    public int GroupUpToDate { get; init; }
    /// <summary>Group rows: the shared Ready condition, since the earliest transition, without a message.</summary>
    public ObjectCondition? GroupReadyCondition { get; init; }

    /// <summary>The name column's text before the tree glyphs.</summary>
    public string RowName => NodeKind switch
    {
        NodeKind.Group => $"{GroupItems.Count} {Kind}s...",
        NodeKind.Virtual => Kind,
        _ => (Object?.Deleting == true ? "!! DELETED !! " : "") + $"{Kind} {(Namespace.Length > 0 ? Namespace + "/" : "")}{Name}" +
             (Object?.Version is { } v ? $", {v}" : ""),
    };

    /// <summary>Children in print order: higher order first, then by row name.</summary>
    public IReadOnlyList<TreeNode> OrderedChildren =>
        Children.OrderByDescending(c => c.Order).ThenBy(c => c.RowName, StringComparer.Ordinal).ToList();

    public static TreeNode For(DescribedObject o, int order = 0) =>
        new() { NodeKind = NodeKind.Object, Kind = o.Kind, Namespace = o.Namespace, Name = o.Name, Object = o, Order = order };

    public static TreeNode Label(string label, int order = 0) => new() { NodeKind = NodeKind.Virtual, Kind = label, Order = order };

    public static TreeNode Reference(ObjectRef r, string ns) => new() { NodeKind = NodeKind.Reference, Kind = r.Kind, Namespace = ns, Name = r.Name };
}
