namespace ServerlessCapi.Reconcilers.MachineDeployments;

/// <summary>One MachineSet as the rollout planners see it: desired replicas, Machines that exist (deleting
/// ones included) and how many are available, as the set last reported.</summary>
public sealed record SetReplicas(string Name, DateTime Created, int Spec, int Status, int Available, int? MaxReplicasAnnotation = null);

/// <summary>How many replicas each MachineSet of a MachineDeployment should have next (pure).</summary>
/// <remarks>
/// A step moves the rollout as far as the bounds allow and no further; the next step (woken by the sets'
/// status changes) moves it again. Scaling the new set up is bounded by maxSurge over every Machine that
/// exists or is wanted (max of spec and status per set, so Machines still being deleted count). Scaling old
/// sets down assumes the worst — that the set deletes available Machines first — so availability never drops
/// below <c>replicas - maxUnavailable</c> because of a scale down, and unavailable Machines on the new set
/// hold the rollout back. Machines already scheduled to go (spec below status) are counted as gone.
/// </remarks>
public static class RolloutPlanner
{
    /// <summary>The RollingUpdate plan: new replicas per set name, only for sets that change.</summary>
    public static IReadOnlyDictionary<string, int> RollingUpdate(int replicas, RolloutBounds bounds, SetReplicas newSet, IReadOnlyList<SetReplicas> oldSets)
    {
        var intents = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = oldSets.Append(newSet).ToList();

        ScaleNewSet(replicas, bounds.MaxSurge, newSet, all, intents);
        ScaleDownOldSets(replicas, bounds.MaxUnavailable, newSet, oldSets, all, intents);
        BreakDeadlock(newSet, oldSets, all, intents);
        return intents;
    }

    /// <summary>The OnDelete plan: old sets shrink only to the Machines that are left (someone deleted the
    /// rest) and to the deployment's replicas; the new set grows into the room that leaves.</summary>
    public static IReadOnlyDictionary<string, int> OnDelete(int replicas, SetReplicas newSet, IReadOnlyList<SetReplicas> oldSets)
    {
        var intents = new Dictionary<string, int>(StringComparer.Ordinal);
        var all = oldSets.Append(newSet).ToList();
        if (newSet.Spec > replicas)
        {
            intents[newSet.Name] = replicas;
        }
        else if (newSet.Spec < replicas)
        {
            var current = all.Sum(s => Math.Max(s.Spec, s.Status));
            if (current < replicas) intents[newSet.Name] = newSet.Spec + Math.Min(replicas - current, replicas - newSet.Spec);
        }

        var oldTotal = oldSets.Sum(s => s.Spec);
        if (oldTotal == 0) return intents;
        var newReplicas = intents.GetValueOrDefault(newSet.Name, newSet.Spec);
        var scaleDown = Math.Max(oldTotal + newReplicas - replicas, 0);
        var ordered = ByAge(oldSets);
        foreach (var old in ordered.Where(s => s.Spec > 0))
        {
            var gone = Math.Max(old.Spec - old.Status, 0);
            if (gone == 0) continue;
            intents[old.Name] = old.Spec - gone;
            scaleDown -= gone;
        }
        foreach (var old in ordered)
        {
            if (scaleDown <= 0) break;
            var current = intents.GetValueOrDefault(old.Name, old.Spec);
            if (current <= 0) continue;
            var by = Math.Min(current, scaleDown);
            intents[old.Name] = current - by;
            scaleDown -= by;
        }
        return intents;
    }

    private static void ScaleNewSet(int replicas, int maxSurge, SetReplicas newSet, List<SetReplicas> all, Dictionary<string, int> intents)
    {
        if (newSet.Spec == replicas) return;
        if (newSet.Spec > replicas)
        {
            intents[newSet.Name] = replicas;
            return;
        }
        var current = all.Sum(s => Math.Max(s.Spec, s.Status));
        var maxTotal = replicas + maxSurge;
        if (current >= maxTotal) return;
        intents[newSet.Name] = newSet.Spec + Math.Min(maxTotal - current, replicas - newSet.Spec);
    }

    private static void ScaleDownOldSets(int replicas, int maxUnavailable, SetReplicas newSet, IReadOnlyList<SetReplicas> oldSets,
        List<SetReplicas> all, Dictionary<string, int> intents)
    {
        if (oldSets.Sum(s => s.Spec) == 0) return;
        var minAvailable = Math.Max(replicas - maxUnavailable, 0);
        var totalSpec = all.Sum(s => s.Spec);
        var totalAvailable = all.Sum(s => s.Available);

        // Machines already on their way out (from this plan or an earlier one) reduce what may go now.
        var pending = 0;
        foreach (var set in all)
        {
            var intent = Math.Min(set.Spec, intents.GetValueOrDefault(set.Name, set.Spec));
            if (intent < set.Status) pending += set.Status - intent;
        }
        var newUnavailable = Math.Max(newSet.Spec - newSet.Available, 0);
        var budget = Math.Max(totalSpec - pending - minAvailable - newUnavailable, 0);
        if (budget == 0) return;

        var ordered = ByAge(oldSets);
        // Unavailable replicas first (they cost no availability), then any, always re-checking availability.
        (budget, totalAvailable) = ScaleDown(ordered, budget, totalAvailable, minAvailable, onlyUnavailable: true, intents);
        ScaleDown(ordered, budget, totalAvailable, minAvailable, onlyUnavailable: false, intents);
    }

    private static (int Budget, int TotalAvailable) ScaleDown(IReadOnlyList<SetReplicas> oldSets, int budget, int totalAvailable, int minAvailable,
        bool onlyUnavailable, Dictionary<string, int> intents)
    {
        foreach (var old in oldSets)
        {
            if (budget <= 0) break;
            var replicas = intents.GetValueOrDefault(old.Name, old.Spec);
            if (replicas <= 0) continue;
            var most = onlyUnavailable ? Math.Max(replicas - old.Available, 0) : replicas;
            var scaleDown = Math.Min(most, budget);
            if (scaleDown == 0) continue;

            if (old.Available > 0)
            {
                var newSpec = Math.Max(replicas - scaleDown, 0);
                var deleted = Math.Max(old.Status - newSpec, 0);
                if (deleted > 0)
                {
                    if (totalAvailable - minAvailable < deleted)
                    {
                        // Deleting that many existing Machines could take available ones below the minimum: do fewer.
                        var canDelete = Math.Max(totalAvailable - minAvailable, 0);
                        var revised = Math.Min(old.Status - canDelete, replicas);
                        scaleDown = Math.Max(replicas - revised, 0);
                        deleted = Math.Max(old.Status - revised, 0);
                    }
                    totalAvailable -= Math.Min(old.Available, deleted);
                }
            }
            if (scaleDown <= 0) continue;
            intents[old.Name] = Math.Max(replicas - scaleDown, 0);
            budget = Math.Max(budget - scaleDown, 0);
        }
        return (budget, totalAvailable);
    }

    /// <summary>When nothing can move because old sets hold unavailable Machines that the worst-case rule never
    /// lets go, and the new set is fully available, one old set gives up one Machine (most likely an
    /// unavailable one: the set deletes unhealthy Machines first).</summary>
    private static void BreakDeadlock(SetReplicas newSet, IReadOnlyList<SetReplicas> oldSets, List<SetReplicas> all, Dictionary<string, int> intents)
    {
        var oldActual = oldSets.Sum(s => s.Status);
        if (oldActual == 0 || oldActual == oldSets.Sum(s => s.Available)) return;
        if (all.Any(s => s.Spec != s.Status || intents.ContainsKey(s.Name))) return;
        if (newSet.Available != newSet.Status) return;
        foreach (var old in ByAge(oldSets))
        {
            if (old.Available == old.Status || old.Spec == 0) continue;
            intents[old.Name] = Math.Max(old.Spec - 1, 0);
            return;
        }
    }

    private static List<SetReplicas> ByAge(IEnumerable<SetReplicas> sets) =>
        sets.OrderBy(s => s.Created).ThenBy(s => s.Name, StringComparer.Ordinal).ToList();
}
