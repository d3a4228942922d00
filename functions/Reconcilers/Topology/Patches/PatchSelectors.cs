using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology.Patches;

/// <summary>Whether a definition's selector matches a generated object: apiVersion and kind exactly, and one of the
/// roles it names.</summary>
internal static class PatchSelectors
{
    public static bool Matches(PatchSelector selector, PatchTarget target)
    {
        if (target.Object["apiVersion"]?.ToString() != selector.ApiVersion || target.Object["kind"]?.ToString() != selector.Kind)
            return false;
        var match = selector.MatchResources;
        return target.Role switch
        {
            PatchRole.InfrastructureCluster => match.InfrastructureCluster == true,
            // The control plane's machine infrastructure template is matched by controlPlane, as in CAPI.
            PatchRole.ControlPlane or PatchRole.ControlPlaneMachineInfrastructure => match.ControlPlane == true,
            PatchRole.MachineDeployment => NameMatches(match.MachineDeploymentClass?.Names, target.WorkerClass),
            PatchRole.MachinePool => NameMatches(match.MachinePoolClass?.Names, target.WorkerClass),
            _ => false,
        };
    }

    /// <summary><c>*</c> matches any class, <c>*suffix</c> and <c>prefix*</c> by the end or start, else exactly.</summary>
    public static bool NameMatches(List<string>? names, string? workerClass)
    {
        if (names is null || workerClass is null)
            return false;
        foreach (var name in names)
        {
            if (name == "*" || name == workerClass)
                return true;
            if (name.StartsWith('*') && workerClass.EndsWith(name[1..], StringComparison.Ordinal))
                return true;
            if (name.EndsWith('*') && workerClass.StartsWith(name[..^1], StringComparison.Ordinal))
                return true;
        }
        return false;
    }
}
