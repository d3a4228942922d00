using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Topology.Patches;

/// <summary>What a selector can match an object as.</summary>
internal enum PatchRole
{
    InfrastructureCluster,
    ControlPlane,
    ControlPlaneMachineInfrastructure,
    MachineDeployment,
    MachinePool,
}

/// <summary>One generated object being patched, with the variables its patches see: the Cluster's values, the
/// part's overrides over them, and <c>builtin</c> merged from the Cluster's and the part's.</summary>
internal sealed class PatchTarget
{
    public required string Id { get; init; }
    public required PatchRole Role { get; init; }
    public string? WorkerClass { get; init; }
    public required string HolderKind { get; init; }
    public required string HolderFieldPath { get; init; }
    public required JsonObject Object { get; set; }

    /// <summary>Overrides and the part's builtins only (what CAPI sends an extension per item).</summary>
    public required JsonObject OwnVariables { get; init; }

    /// <summary>Everything a template or valueFrom.variable of this object reads.</summary>
    public required JsonObject Variables { get; init; }
}

internal static class PatchTargets
{
    /// <summary>The Cluster-wide variables: every value the Cluster sets and <c>builtin.cluster</c>.</summary>
    public static JsonObject Global(Cluster cluster)
    {
        var vars = new JsonObject();
        foreach (var v in cluster.Spec.Topology?.Variables ?? [])
        {
            if (v.Name != BuiltinVariables.Name)
                vars[v.Name] = ToNode(v.Value);
        }
        vars[BuiltinVariables.Name] = BuiltinVariables.Cluster(cluster);
        return vars;
    }

    /// <summary>Copies of the desired objects (the inputs stay untouched), each with its variables.</summary>
    public static List<PatchTarget> Build(Cluster cluster, DesiredTemplates desired, JsonObject global)
    {
        var topology = cluster.Spec.Topology!;
        var targets = new List<PatchTarget>
        {
            Target("infrastructureCluster", PatchRole.InfrastructureCluster, null, "Cluster", "spec.infrastructureRef", desired.InfrastructureCluster, [], new JsonObject(), global),
        };
        var cpOverrides = topology.ControlPlane?.Variables?.Overrides ?? [];
        var cpBuiltin = BuiltinVariables.ControlPlane(desired);
        targets.Add(Target("controlPlane", PatchRole.ControlPlane, null, "Cluster", "spec.controlPlaneRef", desired.ControlPlane, cpOverrides, cpBuiltin, global));
        if (desired.ControlPlaneMachineInfrastructure is { } cpInfra)
        {
            var cpKind = desired.ControlPlane["kind"]?.ToString() ?? "";
            targets.Add(Target("controlPlaneMachineInfrastructure", PatchRole.ControlPlaneMachineInfrastructure, null, cpKind,
                "spec.machineTemplate.spec.infrastructureRef", cpInfra, cpOverrides, cpBuiltin, global));
        }
        AddWorkers(targets, "machineDeployment", PatchRole.MachineDeployment, "MachineDeployment", desired.MachineDeployments,
            name => topology.Workers?.MachineDeployments?.FirstOrDefault(t => t.Name == name) is { } t ? (t.Variables?.Overrides, t.Metadata) : (null, null), global);
        AddWorkers(targets, "machinePool", PatchRole.MachinePool, "MachinePool", desired.MachinePools,
            name => topology.Workers?.MachinePools?.FirstOrDefault(t => t.Name == name) is { } t ? (t.Variables?.Overrides, t.Metadata) : (null, null), global);
        return targets;
    }

    /// <summary>The patched objects in the shape they came in.</summary>
    public static DesiredTemplates Result(DesiredTemplates desired, List<PatchTarget> targets)
    {
        JsonObject Get(string id) => targets.First(t => t.Id == id).Object;
        return desired with
        {
            InfrastructureCluster = Get("infrastructureCluster"),
            ControlPlane = Get("controlPlane"),
            ControlPlaneMachineInfrastructure = desired.ControlPlaneMachineInfrastructure is null ? null : Get("controlPlaneMachineInfrastructure"),
            MachineDeployments = desired.MachineDeployments.Select((w, i) => w with
            {
                Bootstrap = Get($"machineDeployment/{i}/bootstrap"),
                Infrastructure = Get($"machineDeployment/{i}/infrastructure"),
            }).ToList(),
            MachinePools = desired.MachinePools.Select((w, i) => w with
            {
                Bootstrap = Get($"machinePool/{i}/bootstrap"),
                Infrastructure = Get($"machinePool/{i}/infrastructure"),
            }).ToList(),
        };
    }

    private static void AddWorkers(List<PatchTarget> targets, string key, PatchRole role, string holderKind, IReadOnlyList<WorkerTemplates> workers,
        Func<string, (List<ClusterVariable>? Overrides, ObjectMeta? Metadata)> topologyOf, JsonObject global)
    {
        for (var i = 0; i < workers.Count; i++)
        {
            var w = workers[i];
            var (overrides, metadata) = topologyOf(w.TopologyName);
            var builtin = BuiltinVariables.Worker(key, w, metadata);
            // As MachinePools hold them: the bootstrap config and infrastructure machine pool are referenced from spec.template.spec.
            targets.Add(Target($"{key}/{i}/bootstrap", role, w.Class, holderKind, "spec.template.spec.bootstrap.configRef", w.Bootstrap, overrides ?? [], builtin, global));
            targets.Add(Target($"{key}/{i}/infrastructure", role, w.Class, holderKind, "spec.template.spec.infrastructureRef", w.Infrastructure, overrides ?? [], builtin, global));
        }
    }

    private static PatchTarget Target(string id, PatchRole role, string? workerClass, string holderKind, string holderFieldPath, JsonObject obj,
        List<ClusterVariable> overrides, JsonObject partBuiltin, JsonObject global)
    {
        var own = new JsonObject();
        foreach (var o in overrides)
        {
            if (o.Name != BuiltinVariables.Name)
                own[o.Name] = ToNode(o.Value);
        }
        if (partBuiltin.Count > 0)
            own[BuiltinVariables.Name] = partBuiltin.DeepClone();
        var merged = (JsonObject)global.DeepClone();
        foreach (var (name, value) in own)
        {
            if (name == BuiltinVariables.Name)
            {
                foreach (var (part, partValue) in (JsonObject)value!)
                    ((JsonObject)merged[BuiltinVariables.Name]!)[part] = partValue?.DeepClone();
            }
            else
            {
                merged[name] = value?.DeepClone();
            }
        }
        return new PatchTarget
        {
            Id = id,
            Role = role,
            WorkerClass = workerClass,
            HolderKind = holderKind,
            HolderFieldPath = holderFieldPath,
            Object = (JsonObject)obj.DeepClone(),
            OwnVariables = own,
            Variables = merged,
        };
    }

    private static JsonNode? ToNode(JsonElement? value) => value is { } e ? JsonNode.Parse(e.GetRawText()) : null;
}
