using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>Which Machines a MachineSet deletes first when it has too many (CAPI's deletion priorities).</summary>
/// <remarks>
/// Highest priority first: Machines already being deleted (so a scale down never deletes more while earlier
/// deletions are still in progress), Machines annotated <c>cluster.x-k8s.io/delete-machine</c>, unhealthy
/// Machines, then the order of <c>spec.deletion.order</c>. Random is CAPI's "no preference": equal priorities
/// are broken by name, so the pick is stable from one step to the next and a retried step deletes the same
/// Machines. Oldest weighs age on a ten-day scale, Newest is its mirror.
/// </remarks>
public static class DeletionOrder
{
    private const double MustDelete = 100;
    private const double ShouldDeleteFirst = 80;
    private const double BetterDelete = 50;
    private const double CouldDelete = 20;
    private const double MustNotDelete = 0;
    private static readonly TimeSpan AgeScale = TimeSpan.FromDays(10);

    /// <summary>The <paramref name="count"/> Machines to delete, in order.</summary>
    public static IReadOnlyList<Api.Machine> Pick(IEnumerable<Api.Machine> machines, int count, string? order, DateTime now)
    {
        if (count <= 0) return [];
        var priority = PriorityFunction(order);
        return machines
            .Select(m => (Machine: m, Priority: priority(m, now)))
            .OrderByDescending(p => p.Priority)
            .ThenBy(p => p.Machine.Metadata.Name, StringComparer.Ordinal)
            .Take(count)
            .Select(p => p.Machine)
            .ToList();
    }

    /// <summary>The priority of one Machine under <paramref name="order"/> (higher is deleted sooner).</summary>
    public static double Priority(Api.Machine machine, string? order, DateTime now) => PriorityFunction(order)(machine, now);

    private static Func<Api.Machine, DateTime, double> PriorityFunction(string? order) => order switch
    {
        null or "" or MachineSetDeletionOrder.Random => (m, _) => Common(m) ?? CouldDelete,
        MachineSetDeletionOrder.Oldest => (m, now) => Common(m) ?? BelowUnhealthy(Oldest(m, now)),
        MachineSetDeletionOrder.Newest => (m, now) => Common(m) ?? BelowUnhealthy(BetterDelete - Oldest(m, now)),
        _ => throw new ArgumentException($"Unsupported deletion order '{order}': it must be Random, Newest or Oldest.", nameof(order)),
    };

    private static double? Common(Api.Machine m)
    {
        if (MachineFacts.IsDeleting(m)) return MustDelete;
        if (MachineFacts.HasAnnotation(m.Metadata, CapiAnnotations.DeleteMachine)) return ShouldDeleteFirst;
        if (!MachineFacts.IsHealthyForDeletion(m)) return BetterDelete;
        return null;
    }

    /// <summary>Keeps an order-specific priority strictly below that of an unhealthy Machine (floating point
    /// would otherwise let a years-old or a brand-new Machine tie with one).</summary>
    private static double BelowUnhealthy(double priority) => Math.Min(priority, BetterDelete - 1e-6);

    /// <summary>Maps age onto [0, 50): the older, the closer to 50 (yet below an unhealthy Machine).</summary>
    private static double Oldest(Api.Machine m, DateTime now)
    {
        if (m.Metadata.CreationTimestamp is null) return MustNotDelete;
        var age = now - MachineFacts.CreatedAt(m.Metadata);
        if (age < TimeSpan.Zero) return MustNotDelete;
        return BetterDelete * (1.0 - Math.Exp(-age.TotalSeconds / AgeScale.TotalSeconds));
    }
}
