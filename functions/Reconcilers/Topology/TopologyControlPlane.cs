using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>The desired objects in template shape, and the infrastructure cluster and control plane.</summary>
public sealed partial class ClusterTopologyReconciler
{
    private static DesiredTemplates BuildDesired(TopologyScope s)
    {
        var cp = TemplateShape(s.ControlPlaneTemplate);
        var cpSpec = (JsonObject)cp["spec"]!["template"]!["spec"]!;
        cpSpec["version"] = s.ControlPlaneVersion;
        if (s.Topology.ControlPlane?.Replicas is { } replicas) cpSpec["replicas"] = replicas;
        var workers = new List<WorkerTemplates>();
        foreach (var md in s.Topology.Workers?.MachineDeployments ?? [])
        {
            if (!s.MachineDeploymentVersions.TryGetValue(md.Name, out var version)) continue;
            var (bootstrap, infrastructure) = s.ClassTemplates[md.Class];
            workers.Add(new WorkerTemplates
            {
                TopologyName = md.Name,
                // The builtin machineDeployment.name: known once the MachineDeployment exists.
                Name = s.CurrentMachineDeployments.TryGetValue(md.Name, out var current) ? current.Metadata.Name : null,
                Class = md.Class,
                Version = version,
                Replicas = md.Replicas,
                Bootstrap = TemplateShape(bootstrap),
                Infrastructure = TemplateShape(infrastructure),
            });
        }
        return new DesiredTemplates
        {
            InfrastructureCluster = TemplateShape(s.InfrastructureTemplate),
            ControlPlane = cp,
            ControlPlaneMachineInfrastructure = s.ControlPlaneMachineTemplate is { } mt ? TemplateShape(mt) : null,
            ControlPlaneVersion = s.ControlPlaneVersion,
            ControlPlaneReplicas = s.Topology.ControlPlane?.Replicas,
            MachineDeployments = workers,
        };
    }

    /// <summary>A copy of a class template with only what generation uses (no status, no server metadata).</summary>
    private static JsonObject TemplateShape(JsonObject template)
    {
        var spec = template["spec"]?.DeepClone() as JsonObject ?? new JsonObject();
        if (spec["template"] is not JsonObject t) spec["template"] = t = new JsonObject();
        if (t["spec"] is not JsonObject) t["spec"] = new JsonObject();
        return new JsonObject
        {
            ["apiVersion"] = template["apiVersion"]?.DeepClone(),
            ["kind"] = template["kind"]?.DeepClone(),
            ["metadata"] = new JsonObject
            {
                ["name"] = template["metadata"]?["name"]?.DeepClone(),
                ["namespace"] = template["metadata"]?["namespace"]?.DeepClone(),
                ["labels"] = template["metadata"]?["labels"]?.DeepClone(),
                ["annotations"] = template["metadata"]?["annotations"]?.DeepClone(),
            },
            ["spec"] = spec,
        };
    }

    private async Task ReconcileInfrastructureClusterAsync(TopologyScope s, JsonObject template, CancellationToken ct)
    {
        var current = s.CurrentInfrastructure;
        var name = current is not null ? TemplateCloning.Text(current, "metadata", "name")
            : s.Cluster.Spec.InfrastructureRef?.Name is { Length: > 0 } referenced ? referenced
            : Render(s.Class.Spec.Infrastructure.Naming?.Template ?? TopologyNames.DefaultObjectTemplate, s, null, "spec.infrastructure.naming.template");
        var desired = TemplateCloning.ObjectFrom(template, name, s.ClusterName);
        desired["metadata"]!["namespace"] = s.Namespace;
        s.CurrentInfrastructure = await CreateOrPatchAsync(current, desired, ct);
        s.Cluster.Spec.InfrastructureRef = Ref(s.CurrentInfrastructure);
    }

    private async Task ReconcileControlPlaneAsync(TopologyScope s, DesiredTemplates desired, CancellationToken ct)
    {
        var current = s.CurrentControlPlane;
        var classCp = s.Class.Spec.ControlPlane;
        var topologyCp = s.Topology.ControlPlane;
        var name = current is not null ? TemplateCloning.Text(current, "metadata", "name")
            : s.Cluster.Spec.ControlPlaneRef?.Name is { Length: > 0 } referenced ? referenced
            : Render(classCp.Naming?.Template ?? TopologyNames.DefaultObjectTemplate, s, null, "spec.controlPlane.naming.template");
        var labels = Merge(topologyCp?.Metadata?.Labels, classCp.Metadata?.Labels);
        var annotations = Merge(topologyCp?.Metadata?.Annotations, classCp.Metadata?.Annotations);
        var obj = TemplateCloning.ObjectFrom(desired.ControlPlane, name, s.ClusterName, labels, annotations);
        obj["metadata"]!["namespace"] = s.Namespace;
        var spec = (JsonObject)obj["spec"]!;
        // What the topology decides wins over anything patches wrote.
        spec["version"] = s.ControlPlaneVersion;
        if (topologyCp?.Replicas is { } replicas) spec["replicas"] = replicas;
        if (topologyCp?.Rollout?.After is { } after) (spec["rollout"] ??= new JsonObject())["after"] = after.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);

        JsonObject? rotatedOut = null;
        if (desired.ControlPlaneMachineInfrastructure is { } machineTemplate)
        {
            var currentRef = current?["spec"]?["machineTemplate"]?["spec"]?["infrastructureRef"];
            var currentTemplate = await kube.GetReferencedAsync(s.Namespace, currentRef, ct);
            var templateName = TemplateCloning.Text(currentTemplate, "metadata", "name");
            if (currentTemplate is null || !TemplateCloning.Contains(currentTemplate["spec"], machineTemplate["spec"]))
            {
                var created = await CreateAsync(OwnedByCluster(s, TemplateCloning.TemplateFrom(machineTemplate, TopologyNames.FromPrefix($"{s.ClusterName}-"), s.ClusterName)), ct);
                templateName = TemplateCloning.Text(created, "metadata", "name");
                rotatedOut = currentTemplate;
            }
            var machine = (JsonObject)(spec["machineTemplate"] ??= new JsonObject());
            var machineSpec = (JsonObject)(machine["spec"] ??= new JsonObject());
            machineSpec["infrastructureRef"] = new JsonObject
            {
                ["apiGroup"] = ContractVersionedObjectReference.GroupOf(TemplateCloning.Text(machineTemplate, "apiVersion")),
                ["kind"] = TemplateCloning.Text(machineTemplate, "kind"),
                ["name"] = templateName,
            };
            var machineMeta = (JsonObject)(machine["metadata"] ??= new JsonObject());
            var machineLabels = (JsonObject)(machineMeta["labels"] ??= new JsonObject());
            foreach (var (k, v) in labels) machineLabels[k] ??= v;
            machineLabels[CapiLabels.ClusterName] = s.ClusterName;
            machineLabels[TopologyMetadata.OwnedLabel] = "";
            if (annotations.Count > 0)
            {
                var machineAnnotations = (JsonObject)(machineMeta["annotations"] ??= new JsonObject());
                foreach (var (k, v) in annotations) machineAnnotations[k] ??= v;
            }
            if ((topologyCp?.Deletion ?? classCp.Deletion) is { } deletion) machineSpec["deletion"] = Json(deletion);
            if ((topologyCp?.ReadinessGates ?? classCp.ReadinessGates) is { } gates) machineSpec["readinessGates"] = Json(gates);
            if ((topologyCp?.Taints ?? classCp.Taints) is { } taints) machineSpec["taints"] = Json(taints);
        }
        s.CurrentControlPlane = await CreateOrPatchAsync(current, obj, ct);
        s.Cluster.Spec.ControlPlaneRef = Ref(s.CurrentControlPlane);
        if (rotatedOut is not null) await kube.DeleteAsync(rotatedOut, ct);
    }

    /// <summary>Creates the object, or patches the current one when a desired field differs (fields the desired state
    /// does not set stay as they are).</summary>
    private async Task<JsonObject> CreateOrPatchAsync(JsonObject? current, JsonObject desired, CancellationToken ct)
    {
        if (current is null) return await CreateAsync(desired, ct);
        var desiredMeta = new JsonObject
        {
            ["labels"] = desired["metadata"]?["labels"]?.DeepClone(),
            ["annotations"] = desired["metadata"]?["annotations"]?.DeepClone(),
        };
        if (TemplateCloning.Contains(current["spec"], desired["spec"]) && TemplateCloning.Contains(current["metadata"], desiredMeta))
            return current;
        return await kube.PatchAsync(current, new JsonObject { ["metadata"] = desiredMeta, ["spec"] = desired["spec"]!.DeepClone() }, ct);
    }

    private async Task<JsonObject> CreateAsync(JsonObject obj, CancellationToken ct)
    {
        var resource = CapiResources.For(ContractVersionedObjectReference.GroupOf(TemplateCloning.Text(obj, "apiVersion")), TemplateCloning.Text(obj, "kind"));
        var created = await kube.SendAsync<JsonObject>(HttpMethod.Post, resource.CollectionPath(TemplateCloning.Text(obj, "metadata", "namespace")),
            obj.ToJsonString(), "application/json", ct);
        return created ?? obj;
    }

    private static JsonObject OwnedByCluster(TopologyScope s, JsonObject obj)
    {
        obj["metadata"]!["namespace"] = s.Namespace;
        obj["metadata"]!["ownerReferences"] = new JsonArray(new JsonObject
        {
            ["apiVersion"] = CapiGroups.CoreApiVersion,
            ["kind"] = Api.Cluster.KubeKind,
            ["name"] = s.ClusterName,
            ["uid"] = s.Cluster.Metadata.Uid,
        });
        return obj;
    }

    private static ContractVersionedObjectReference Ref(JsonObject obj) => new()
    {
        ApiGroup = ContractVersionedObjectReference.GroupOf(TemplateCloning.Text(obj, "apiVersion")),
        Kind = TemplateCloning.Text(obj, "kind"),
        Name = TemplateCloning.Text(obj, "metadata", "name"),
    };

    private static string Render(string template, TopologyScope s, string? machineDeployment, string field)
    {
        if (!TopologyNames.TryRender(template, s.ClusterName, machineDeployment, null, out var name, out var error))
            throw new TopologyException(TopologyReasons.ReconcileFailed, $"{field}: {error}");
        return name;
    }

    /// <summary>The topology's values over the class's.</summary>
    private static Dictionary<string, string> Merge(Dictionary<string, string>? over, Dictionary<string, string>? under)
    {
        var result = new Dictionary<string, string>(under ?? [], StringComparer.Ordinal);
        foreach (var (k, v) in over ?? []) result[k] = v;
        return result;
    }

    private static JsonNode Json<T>(T value) => JsonSerializer.SerializeToNode(value, Manifests.JsonOptions)!;
}
