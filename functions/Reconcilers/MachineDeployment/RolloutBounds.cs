using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.MachineDeployments;

/// <summary>The absolute surge and unavailability a MachineDeployment allows (Kubernetes' fenceposts).</summary>
/// <remarks>maxSurge rounds up, maxUnavailable rounds down; when both come out as 0 the rollout could never
/// move, so one Machine may be unavailable. OnDelete has neither: it creates only what was deleted.</remarks>
public readonly record struct RolloutBounds(int MaxSurge, int MaxUnavailable)
{
    public static RolloutBounds For(MachineDeployment md)
    {
        var replicas = md.Spec.Replicas ?? 0;
        var strategy = md.Spec.Rollout?.Strategy;
        if (strategy is null || strategy.Type != RolloutStrategyType.RollingUpdate) return new RolloutBounds(0, 0);
        var (surge, unavailable) = Resolve(strategy.RollingUpdate?.MaxSurge ?? CapiDefaults.MaxSurge,
            strategy.RollingUpdate?.MaxUnavailable ?? CapiDefaults.MaxUnavailable, replicas);
        return new RolloutBounds(surge, replicas == 0 ? 0 : Math.Min(unavailable, replicas));
    }

    public static (int Surge, int Unavailable) Resolve(IntOrString maxSurge, IntOrString maxUnavailable, int replicas)
    {
        var surge = maxSurge.GetScaledValue(replicas, roundUp: true);
        var unavailable = maxUnavailable.GetScaledValue(replicas, roundUp: false);
        if (surge == 0 && unavailable == 0) unavailable = 1;
        return (surge, unavailable);
    }
}
