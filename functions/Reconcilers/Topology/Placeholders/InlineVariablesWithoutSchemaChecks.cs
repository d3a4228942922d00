using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>Class variables for builds without a schema validator: the status lists the inline definitions, and
/// a Cluster's values are checked only for names (defined, given once, required ones present), not against their
/// schemas, and get no schema defaults.</summary>
public sealed class InlineVariablesWithoutSchemaChecks : IClusterClassVariables
{
    public Task<ClassVariablesResult> ComputeStatusAsync(ClusterClass clusterClass, CancellationToken ct)
    {
        if (clusterClass.Spec.Patches?.Any(p => p.External?.DiscoverVariablesExtension is not null) == true)
            return Task.FromResult(new ClassVariablesResult([], "variable discovery extensions are not supported by this build"));
        var variables = (clusterClass.Spec.Variables ?? []).Select(v => new ClusterClassStatusVariable
        {
            Name = v.Name,
            Definitions =
            [
                new()
                {
                    From = ClusterClassStatusVariableDefinition.Inline,
                    Required = v.Required ?? false,
                    DeprecatedV1Beta1Metadata = v.DeprecatedV1Beta1Metadata,
                    Schema = v.Schema,
                },
            ],
        }).ToList();
        return Task.FromResult(new ClassVariablesResult(variables));
    }

    public IReadOnlyList<TopologyFieldError> ValidateAndDefault(Cluster cluster, IReadOnlyList<ClusterClassStatusVariable> definitions, Cluster? oldCluster = null)
    {
        var errors = new List<TopologyFieldError>();
        var topology = cluster.Spec.Topology;
        if (topology is null)
            return errors;
        var defined = definitions.ToDictionary(d => d.Name, StringComparer.Ordinal);
        CheckNames(topology.Variables, "spec.topology.variables", defined, errors, requireAll: true);
        CheckNames(topology.ControlPlane?.Variables?.Overrides, "spec.topology.controlPlane.variables.overrides", defined, errors, requireAll: false);
        var mds = topology.Workers?.MachineDeployments ?? [];
        for (var i = 0; i < mds.Count; i++)
            CheckNames(mds[i].Variables?.Overrides, $"spec.topology.workers.machineDeployments[{i}].variables.overrides", defined, errors, requireAll: false);
        var mps = topology.Workers?.MachinePools ?? [];
        for (var i = 0; i < mps.Count; i++)
            CheckNames(mps[i].Variables?.Overrides, $"spec.topology.workers.machinePools[{i}].variables.overrides", defined, errors, requireAll: false);
        return errors;
    }

    private static void CheckNames(List<ClusterVariable>? values, string path, Dictionary<string, ClusterClassStatusVariable> defined, List<TopologyFieldError> errors, bool requireAll)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (values?.Count ?? 0); i++)
        {
            var name = values![i].Name;
            if (!seen.Add(name))
                errors.Add(new($"{path}[{i}].name", $"variable \"{name}\" is set more than once"));
            else if (!defined.ContainsKey(name))
                errors.Add(new($"{path}[{i}].name", $"variable \"{name}\" is not defined"));
            else if (values[i].Value is null)
                errors.Add(new($"{path}[{i}].value", "a value is required"));
        }
        if (!requireAll)
            return;
        foreach (var d in defined.Values.Where(d => d.Definitions.Any(x => x.Required == true)).Where(d => !seen.Contains(d.Name)))
            errors.Add(new(path, $"required variable \"{d.Name}\" must be set"));
    }
}
