using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.EmbeddedApiServer.Validation;

namespace ServerlessCapi.Reconcilers.Topology.Variables;

/// <summary>The variables of a ClusterClass: status.variables from the inline definitions, checks that each
/// definition is usable, and the validation and defaulting of a Cluster's values against the schemas.</summary>
/// <remarks>
/// Values are checked by the embedded API server's CRD schema validator and CEL runner (<see cref="SchemaValidator"/>,
/// <see cref="CelRules"/>: types, formats, enums, bounds, lengths, patterns, items, properties, required,
/// x-kubernetes-validations with oldSelf) and defaulted by its <see cref="StoredDefaults"/>; what CAPI checks beyond a
/// CRD (undeclared fields, uniqueItems) is here. Variables discovered through a runtime extension
/// (<c>external.discoverVariablesExtension</c>) are the extension point: they would be added to the status as
/// further definitions whose source is the patch name; until a caller for that hook exists, a class naming one gets
/// an error instead of a status without them.
/// </remarks>
public sealed class ClusterClassVariables : IClusterClassVariables
{
    private const string BuiltinName = "builtin";

    public Task<ClassVariablesResult> ComputeStatusAsync(ClusterClass clusterClass, CancellationToken ct)
    {
        var discovery = (clusterClass.Spec.Patches ?? []).Select((p, i) => (p, i)).FirstOrDefault(x => x.p.External?.DiscoverVariablesExtension is not null);
        if (discovery.p is not null)
        {
            return Task.FromResult(new ClassVariablesResult([],
                $"spec.patches[{discovery.i}].external.discoverVariablesExtension: variable discovery extension \"{discovery.p.External!.DiscoverVariablesExtension}\" cannot be called: no runtime extension caller is registered"));
        }
        var variables = clusterClass.Spec.Variables ?? [];
        var errors = CheckDefinitions(variables);
        if (errors.Count > 0)
            return Task.FromResult(new ClassVariablesResult([], string.Join("; ", errors)));
        var status = variables.Select(v => new ClusterClassStatusVariable
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
        return Task.FromResult(new ClassVariablesResult(status));
    }

    /// <summary>Names present, unique, not <c>builtin</c>, without dots; each schema structural with valid defaults.</summary>
    public static List<TopologyFieldError> CheckDefinitions(IReadOnlyList<ClusterClassVariable> variables)
    {
        var errors = new List<TopologyFieldError>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count; i++)
        {
            var path = $"spec.variables[{i}]";
            var name = variables[i].Name;
            if (string.IsNullOrEmpty(name))
                errors.Add(new($"{path}.name", "Required value: variable name must be defined"));
            else if (name == BuiltinName)
                errors.Add(new($"{path}.name", $"Invalid value: \"{name}\": \"builtin\" is a reserved variable name"));
            else if (name.Contains('.', StringComparison.Ordinal))
                errors.Add(new($"{path}.name", $"Invalid value: \"{name}\": variable name cannot contain \".\""));
            else if (!seen.Add(name))
                errors.Add(new($"{path}.name", $"Invalid value: \"{name}\": variable names must be unique"));
            VariableSchemas.Check(VariableSchemas.ToJson(variables[i].Schema.OpenApiV3Schema), $"{path}.schema.openAPIV3Schema", errors);
        }
        return errors;
    }

    public IReadOnlyList<TopologyFieldError> ValidateAndDefault(Cluster cluster, IReadOnlyList<ClusterClassStatusVariable> definitions, Cluster? oldCluster = null)
    {
        var errors = new List<TopologyFieldError>();
        var topology = cluster.Spec.Topology;
        if (topology is null)
            return errors;
        var defs = definitions.GroupBy(d => d.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var old = oldCluster?.Spec.Topology;
        topology.Variables = Run(topology.Variables, old?.Variables, defs, "spec.topology.variables", isCluster: true, errors);
        if (topology.ControlPlane?.Variables is { } cp)
            cp.Overrides = Run(cp.Overrides, old?.ControlPlane?.Variables?.Overrides, defs, "spec.topology.controlPlane.variables.overrides", false, errors);
        var mds = topology.Workers?.MachineDeployments ?? [];
        for (var i = 0; i < mds.Count; i++)
        {
            if (mds[i].Variables is not { } vars)
                continue;
            var oldMd = old?.Workers?.MachineDeployments?.FirstOrDefault(m => m.Name == mds[i].Name);
            vars.Overrides = Run(vars.Overrides, oldMd?.Variables?.Overrides, defs, $"spec.topology.workers.machineDeployments[{i}].variables.overrides", false, errors);
        }
        var mps = topology.Workers?.MachinePools ?? [];
        for (var i = 0; i < mps.Count; i++)
        {
            if (mps[i].Variables is not { } vars)
                continue;
            var oldMp = old?.Workers?.MachinePools?.FirstOrDefault(m => m.Name == mps[i].Name);
            vars.Overrides = Run(vars.Overrides, oldMp?.Variables?.Overrides, defs, $"spec.topology.workers.machinePools[{i}].variables.overrides", false, errors);
        }
        return errors;
    }

    /// <summary>Defaults then validates one list. On the Cluster's own list (not overrides) a variable with a
    /// top-level default is added when missing, and required variables must be present, as in CAPI.</summary>
    private static List<ClusterVariable>? Run(List<ClusterVariable>? values, List<ClusterVariable>? oldValues,
        Dictionary<string, ClusterClassStatusVariable> defs, string path, bool isCluster, List<TopologyFieldError> errors)
    {
        var list = values ?? [];
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < list.Count; i++)
        {
            if (!names.Add(list[i].Name))
                errors.Add(new($"{path}[{i}].name", $"Invalid value: \"{list[i].Name}\": variable names must be unique"));
        }
        if (isCluster)
        {
            foreach (var def in defs.Values)
            {
                if (!names.Contains(def.Name) && SchemaOf(def)["default"] is { } dflt)
                {
                    list.Add(new ClusterVariable { Name = def.Name, Value = ToElement(dflt) });
                    names.Add(def.Name);
                }
                else if (!names.Contains(def.Name) && def.Definitions.Any(d => d.Required == true))
                {
                    errors.Add(new(path, $"Required value: required variable \"{def.Name}\" must be set"));
                }
            }
        }
        for (var i = 0; i < list.Count; i++)
        {
            var value = list[i];
            var field = $"{path}[{i}]";
            if (!defs.TryGetValue(value.Name, out var def))
            {
                errors.Add(new(field, $"Invalid value: {Raw(value)}: variable is not defined"));
                continue;
            }
            if (value.Value is null)
            {
                errors.Add(new($"{field}.value", "Required value"));
                continue;
            }
            var schema = SchemaOf(def);
            var node = JsonNode.Parse(value.Value.Value.GetRawText());
            // Nested defaults (a top-level default only fills a missing variable).
            if (node is not null && StoredDefaults.Apply(schema, node))
                value.Value = ToElement(node);
            var oldValue = oldValues?.FirstOrDefault(o => o.Name == value.Name)?.Value;
            Validate(schema, node, oldValue is { } o ? JsonNode.Parse(o.GetRawText()) : null, oldValue is not null, value.Name, field, errors);
        }
        return values is null && list.Count == 0 ? null : list;
    }

    private static void Validate(JsonObject schema, JsonNode? value, JsonNode? old, bool hasOld, string name, string field, List<TopologyFieldError> errors)
    {
        // Wrapped under "value" so the validator's root-object rules (metadata, apiVersion, kind) do not apply to
        // the variable and its paths come out as value.port, under the variable's own field.
        var wrapped = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject { ["value"] = schema.DeepClone() } };
        var found = SchemaValidator.Validate(wrapped, new JsonObject { ["value"] = value?.DeepClone() },
            hasOld ? new JsonObject { ["value"] = old?.DeepClone() } : null);
        foreach (var e in found)
        {
            var at = e.Field == SchemaValidator.SkippedRulesField || e.Field.Length == 0 ? $"{field}.value" : $"{field}.{e.Field}";
            errors.Add(new(at, e.Message.Replace($"{e.Field} in body ", "", StringComparison.Ordinal)));
        }
        var unknown = new List<string>();
        VariableSchemas.CheckShape(schema, value, "", unknown, errors, $"{field}.value");
        if (unknown.Count > 0)
            errors.Add(new(field, $"Invalid value: failed validation: \"{string.Join(",", unknown)}\" field(s) are not specified in the variable schema of variable \"{name}\""));
    }

    private static JsonObject SchemaOf(ClusterClassStatusVariable def) => VariableSchemas.ToJson(def.Definitions[0].Schema.OpenApiV3Schema);

    private static JsonElement ToElement(JsonNode node) => JsonSerializer.SerializeToElement(node);

    private static string Raw(ClusterVariable v) => v.Value is { } e ? JsonSerializer.Serialize(e.GetRawText()) : "null";
}
