namespace ServerlessCapi.Kube.Events;

/// <summary>An object whose workflow a change should wake. Without a uid the dispatcher looks it up by name; with a
/// <see cref="Selector"/> (and no name) it wakes every object of the kind in the namespace that the selector matches.</summary>
public sealed record RouteTarget(string Kind, string? Namespace, string Name, string? Uid = null, string? Selector = null);

/// <summary>How a change of one object finds the objects it wakes.</summary>
public enum WakeVia
{
    /// <summary>Its controller owner reference.</summary>
    ControllerOwner,

    /// <summary>Any of its owner references.</summary>
    Owner,

    /// <summary>The object named by the value of a label on it, same namespace.</summary>
    Label,

    /// <summary>The objects its event's references name (<see cref="ObjectEventData.Refs"/>): they wait on it.</summary>
    Reference,

    /// <summary>Every object in its namespace whose label names it.</summary>
    Members,

    /// <summary>Every object in its namespace carrying the same value of a label.</summary>
    LabelledSet,
}

/// <summary>One relation: a change of <paramref name="Source"/> that touched any of <paramref name="When"/> (see
/// <see cref="ObjectAspects"/>; empty: metadata or status) wakes the <paramref name="Target"/> objects found
/// <paramref name="Via"/> (with <paramref name="Label"/> for the label relations).</summary>
public sealed record WakeRule(string Source, WakeVia Via, string Target, IReadOnlyList<string> When, string? Label = null)
{
    /// <summary>What a change must touch when a rule does not say: a version that differs from the previous one only in
    /// timestamps wakes nobody but its own workflow.</summary>
    public static IReadOnlyList<string> AnyChange { get; } = [ObjectAspects.Meta, ObjectAspects.Status];

    public IReadOnlyList<string> EffectiveWhen => When.Count > 0 ? When : AnyChange;

    internal IEnumerable<RouteTarget> Targets(ObjectEventData change)
    {
        if (change.Kind != Source) return [];
        return Via switch
        {
            WakeVia.ControllerOwner or WakeVia.Owner => (change.Owners ?? [])
                .Where(o => (Via == WakeVia.Owner || o.Controller) && o.Kind == Target)
                .Select(o => new RouteTarget(o.Kind, change.Namespace, o.Name, o.Uid)),
            WakeVia.Reference => (change.Refs ?? []).Where(r => r.Kind == Target).Select(r => new RouteTarget(r.Kind, change.Namespace, r.Name)),
            WakeVia.Label => Label is not null && change.Labels?.GetValueOrDefault(Label) is { Length: > 0 } name
                ? [new RouteTarget(Target, change.Namespace, name)]
                : [],
            WakeVia.Members => Label is not null && change.Namespace is not null && !change.Deleted
                ? [new RouteTarget(Target, change.Namespace, "", Selector: $"{Label}={change.Name}")]
                : [],
            WakeVia.LabelledSet => Label is not null && change.Namespace is not null && change.Labels?.GetValueOrDefault(Label) is { Length: > 0 } value
                ? [new RouteTarget(Target, change.Namespace, "", Selector: $"{Label}={value}")]
                : [],
            _ => [],
        };
    }
}

/// <summary>The dispatcher's routing table: which workflow reconciles each kind, and which other objects a change
/// wakes. Built from data the app gives it (its registry of reconciled kinds); it knows nothing of the kinds itself.</summary>
public sealed class EventRoutes
{
    private readonly Dictionary<string, string> _workflows = new(StringComparer.Ordinal);
    private readonly List<WakeRule> _rules = [];

    /// <summary>The workflow started for objects of <paramref name="kind"/>, or null when none reconciles it.</summary>
    public string? WorkflowFor(string kind) => _workflows.GetValueOrDefault(kind);

    public IReadOnlyDictionary<string, string> Workflows => _workflows;

    public IReadOnlyList<WakeRule> Rules => _rules;

    /// <summary>Objects of <paramref name="kind"/> are reconciled by <paramref name="workflow"/> (default: the kind's name).</summary>
    public EventRoutes Reconcile(string kind, string? workflow = null)
    {
        _workflows[kind] = workflow ?? kind;
        return this;
    }

    /// <summary>Adds a relation.</summary>
    public EventRoutes Wake(WakeRule rule)
    {
        _rules.Add(rule);
        return this;
    }

    /// <summary>Every other object this change wakes (the object itself is always woken; it is not listed).</summary>
    public IReadOnlyList<RouteTarget> TargetsFor(ObjectEventData change) =>
        _rules.Where(r => change.Deleted || r.EffectiveWhen.Any(change.Touches))
            .SelectMany(r => r.Targets(change))
            .Where(t => !(t.Kind == change.Kind && t.Uid == change.Uid))
            .Distinct()
            .ToList();
}
