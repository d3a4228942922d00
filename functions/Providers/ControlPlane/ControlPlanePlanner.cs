namespace ServerlessCapi.Providers.ControlPlane;

/// <summary>One control-plane Machine as the planner sees it.</summary>
/// <param name="Healthy">Its Node is up and Ready.</param>
/// <param name="UpToDate">It matches the control plane's version and infrastructure template.</param>
public sealed record ControlPlaneMachine(string Name, DateTime CreatedAt, bool Deleting, bool UpToDate, bool Healthy);

public enum PlanAction
{
    /// <summary>Nothing to do: the control plane has what it asks for.</summary>
    None,

    /// <summary>Nothing to do now; something must finish first (<see cref="ControlPlanePlan.Message"/> says what).</summary>
    Wait,

    /// <summary>Create one Machine (<see cref="ControlPlanePlan.Init"/>: the one that runs kubeadm init).</summary>
    Create,

    /// <summary>Delete <see cref="ControlPlanePlan.Machine"/>.</summary>
    Delete,
}

/// <summary>The next step of a control plane, one Machine at a time.</summary>
public sealed record ControlPlanePlan(PlanAction Action, string Message, bool Init = false, string? Machine = null)
{
    /// <summary>Decides like CAPI's KubeadmControlPlane controller: the first Machine initialises the control
    /// plane and nothing else happens until it has; then Machines are added one at a time, each only when all
    /// others are healthy; a rollout (outdated Machines) surges by one and removes the oldest outdated Machine
    /// once the new one is healthy; scale-down removes outdated Machines first, then the oldest; nothing
    /// happens while a Machine is being deleted.</summary>
    public static ControlPlanePlan For(int desired, bool initialized, IReadOnlyList<ControlPlaneMachine> machines)
    {
        if (machines.FirstOrDefault(m => m.Deleting) is { } deleting)
            return new(PlanAction.Wait, $"Waiting for Machine {deleting.Name} to be deleted");
        if (machines.Count == 0)
            return desired > 0 || !initialized
                ? new(PlanAction.Create, initialized ? "Scaling up" : "Creating the first control plane Machine", Init: !initialized)
                : new(PlanAction.None, "");
        if (!initialized)
            return new(PlanAction.Wait, "Waiting for the first control plane Machine to initialize the control plane");

        var unhealthy = machines.Where(m => !m.Healthy).Select(m => m.Name).ToList();
        var outdated = machines.Where(m => !m.UpToDate).OrderBy(m => m.CreatedAt).ThenBy(m => m.Name, StringComparer.Ordinal).ToList();

        if (machines.Count < desired)
            return unhealthy.Count > 0
                ? new(PlanAction.Wait, $"Waiting for Machines to be healthy before scaling up: {string.Join(", ", unhealthy)}")
                : new(PlanAction.Create, $"Scaling up from {machines.Count} to {desired} replicas");

        if (machines.Count > desired)
        {
            var victim = outdated.FirstOrDefault()
                         ?? machines.OrderBy(m => m.CreatedAt).ThenBy(m => m.Name, StringComparer.Ordinal).First();
            var others = unhealthy.Where(n => n != victim.Name).ToList();
            return others.Count > 0
                ? new(PlanAction.Wait, $"Waiting for Machines to be healthy before scaling down: {string.Join(", ", others)}")
                : new(PlanAction.Delete, $"Scaling down from {machines.Count} to {desired} replicas", Machine: victim.Name);
        }

        if (outdated.Count > 0)
            return unhealthy.Count > 0
                ? new(PlanAction.Wait, $"Waiting for Machines to be healthy before rolling out: {string.Join(", ", unhealthy)}")
                : new(PlanAction.Create, $"Rolling out {outdated.Count} not up-to-date replicas");
        return new(PlanAction.None, "");
    }
}
