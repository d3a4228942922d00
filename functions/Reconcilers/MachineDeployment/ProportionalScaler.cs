namespace ServerlessCapi.Reconcilers.MachineDeployments;

/// <summary>Scaling a MachineDeployment that is paused (no rollout moves) but whose replicas changed: the
/// change is spread over the sets in proportion to their size (pure, Kubernetes' proportional scaling).</summary>
/// <remarks>
/// Growing only the new set or shrinking only the old ones would hasten a rollout the user paused, and with it
/// the share of Machines running a template that may be broken. With one active set (or none) that set simply
/// takes the new size; a saturated new set means the old ones go to zero.
/// </remarks>
public static class ProportionalScaler
{
    /// <param name="replicas">The deployment's <c>spec.replicas</c>.</param>
    /// <param name="maxSurge">Its resolved maxSurge (0 for OnDelete).</param>
    /// <param name="rollingUpdate">Whether the strategy is RollingUpdate (only then are several sets scaled).</param>
    /// <param name="newSet">The set matching the template, if one exists.</param>
    /// <param name="oldSets">The other sets.</param>
    /// <param name="deploymentStatusReplicas">The deployment's <c>status.replicas</c>, the fallback size a set's
    /// share is measured against when it carries no max-replicas annotation.</param>
    public static IReadOnlyDictionary<string, int> Plan(int replicas, int maxSurge, bool rollingUpdate, SetReplicas? newSet,
        IReadOnlyList<SetReplicas> oldSets, int deploymentStatusReplicas)
    {
        var intents = new Dictionary<string, int>(StringComparer.Ordinal);
        if (OneActiveOrLatest(newSet, oldSets) is { } only)
        {
            if (only.Spec != replicas) intents[only.Name] = replicas;
            return intents;
        }

        if (newSet is not null && newSet.Spec == replicas && newSet.Available == replicas)
        {
            foreach (var old in oldSets.Where(s => s.Spec > 0)) intents[old.Name] = 0;
            return intents;
        }
        if (!rollingUpdate) return intents;

        var active = oldSets.Append(newSet).OfType<SetReplicas>().Where(s => s.Spec > 0).ToList();
        var total = active.Sum(s => s.Spec);
        var allowed = replicas > 0 ? replicas + maxSurge : 0;
        var toAdd = allowed - total;
        if (toAdd == 0) return intents;

        // Largest first; on a tie, grow newer sets first and shrink older ones first.
        var ordered = toAdd > 0
            ? active.OrderByDescending(s => s.Spec).ThenByDescending(s => s.Created).ToList()
            : active.OrderByDescending(s => s.Spec).ThenBy(s => s.Created).ToList();
        var added = 0;
        var sizes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var set in ordered)
        {
            var proportion = Proportion(set, replicas, maxSurge, toAdd, added, deploymentStatusReplicas);
            sizes[set.Name] = set.Spec + proportion;
            added += proportion;
        }
        // Rounding leftovers go to the largest set.
        var first = ordered[0];
        sizes[first.Name] = Math.Max(sizes[first.Name] + toAdd - added, 0);
        foreach (var set in ordered.Where(s => sizes[s.Name] != s.Spec)) intents[set.Name] = sizes[set.Name];
        return intents;
    }

    /// <summary>The only set with replicas; the newest set when none has any; null when several have some.</summary>
    private static SetReplicas? OneActiveOrLatest(SetReplicas? newSet, IReadOnlyList<SetReplicas> oldSets)
    {
        if (newSet is null && oldSets.Count == 0) return null;
        var active = oldSets.Append(newSet).OfType<SetReplicas>().Where(s => s.Spec > 0).ToList();
        return active.Count switch
        {
            0 => newSet ?? oldSets.OrderByDescending(s => s.Created).ThenByDescending(s => s.Name, StringComparer.Ordinal).First(),
            1 => active[0],
            _ => null,
        };
    }

    private static int Proportion(SetReplicas set, int replicas, int maxSurge, int toAdd, int added, int deploymentStatusReplicas)
    {
        if (set.Spec == 0 || toAdd == 0 || toAdd == added) return 0;
        int fraction;
        if (replicas == 0)
        {
            fraction = -set.Spec;
        }
        else
        {
            var annotated = set.MaxReplicasAnnotation ?? deploymentStatusReplicas;
            fraction = annotated <= 0 ? 0 : (int)Math.Round((double)set.Spec * (replicas + maxSurge) / annotated, MidpointRounding.AwayFromZero) - set.Spec;
        }
        var allowed = toAdd - added;
        return toAdd > 0 ? Math.Min(fraction, allowed) : Math.Max(fraction, allowed);
    }
}
