using ServerlessCapi.Reconcilers.MachineDeployments;

namespace ServerlessCapi.FleetTests;

/// <summary>A deterministic model of a MachineDeployment and its MachineSets, driven by the real planners:
/// each tick the planner sees the sets' last reported status, the sets create and delete Machines (deleting
/// available ones first: the worst case the planner must survive), reports are refreshed, Machines age.</summary>
internal sealed class RolloutSimulation(int replicas, RolloutBounds bounds, int ticksToAvailable, bool onDelete = false)
{
    private int _ticks;

    public int Replicas { get; set; } = replicas;

    public RolloutBounds Bounds { get; set; } = bounds;

    public List<SimSet> Sets { get; } = [];

    public SimSet? Current { get; private set; }

    public int TotalMachines => Sets.Sum(s => s.Machines.Count);

    public int AvailableMachines => Sets.Sum(s => s.Machines.Count(m => m.Available(ticksToAvailable)));

    /// <summary>Starts with one fully available set, as after an earlier completed rollout.</summary>
    public SimSet Seed(string name)
    {
        var set = new SimSet(name, _ticks++) { Spec = Replicas };
        for (var i = 0; i < Replicas; i++) set.Machines.Add(new SimMachine { Age = ticksToAvailable });
        set.Report(ticksToAvailable);
        Sets.Add(set);
        Current = set;
        return set;
    }

    /// <summary>A template change: the next tick's plan targets a new set.</summary>
    public void ChangeTemplate(string name) => Current = new SimSet(name, _ticks++);

    public void Tick()
    {
        _ticks++;
        var current = Current!;
        var olds = Sets.Where(s => s != current).Select(s => s.ToReplicas()).ToList();
        var newReplicas = current.ToReplicas();
        var intents = onDelete
            ? RolloutPlanner.OnDelete(Replicas, newReplicas, olds)
            : RolloutPlanner.RollingUpdate(Replicas, Bounds, newReplicas, olds);
        if (!Sets.Contains(current)) Sets.Add(current);
        foreach (var set in Sets)
        {
            if (intents.TryGetValue(set.Name, out var spec)) set.Spec = spec;
        }
        foreach (var set in Sets) set.Reconcile(ticksToAvailable, disableCreate: onDelete && set != current);
        foreach (var set in Sets) set.Report(ticksToAvailable);
        foreach (var m in Sets.SelectMany(s => s.Machines)) m.Age++;
    }

    public bool Converged =>
        Current is { } c && c.Spec == Replicas && c.Machines.Count == Replicas && c.Machines.All(m => m.Available(ticksToAvailable))
        && Sets.Where(s => s != c).All(s => s.Spec == 0 && s.Machines.Count == 0);
}

internal sealed class SimSet(string name, int created)
{
    public string Name { get; } = name;
    public DateTime Created { get; } = FleetBuilders.Now.AddMinutes(created);
    public int Spec { get; set; }
    public List<SimMachine> Machines { get; } = [];
    public int ReportedReplicas { get; private set; }
    public int ReportedAvailable { get; private set; }

    public SetReplicas ToReplicas() => new(Name, Created, Spec, ReportedReplicas, ReportedAvailable);

    public void Reconcile(int ticksToAvailable, bool disableCreate)
    {
        Machines.RemoveAll(m => m.Deleting); // deletions started last tick complete now
        var diff = Machines.Count - Spec;
        if (diff < 0 && !disableCreate)
        {
            for (var i = 0; i < -diff; i++) Machines.Add(new SimMachine());
        }
        else if (diff > 0)
        {
            // Worst case: available Machines are deleted first.
            foreach (var m in Machines.OrderByDescending(m => m.Available(ticksToAvailable)).Take(diff)) m.Deleting = true;
        }
    }

    public void Report(int ticksToAvailable)
    {
        ReportedReplicas = Machines.Count;
        ReportedAvailable = Machines.Count(m => m.Available(ticksToAvailable));
    }
}

internal sealed class SimMachine
{
    public int Age { get; set; }
    public bool Deleting { get; set; }
    public bool Available(int ticksToAvailable) => !Deleting && Age >= ticksToAvailable;
}
