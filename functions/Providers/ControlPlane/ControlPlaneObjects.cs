using System.Text.Json;
using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.Ownership;
using Api = ServerlessCapi.Api;

namespace ServerlessCapi.Providers.ControlPlane;

/// <summary>The objects behind one control-plane Machine: the Machine (controlled by the control plane), and
/// its KubeadmConfig and infrastructure machine (controlled by the Machine), all named like the Machine.</summary>
public static class ControlPlaneObjects
{
    /// <summary>Labels every control-plane object carries (CAPI's control-plane selector plus the owner's name).</summary>
    public static Dictionary<string, string> Labels(string clusterName, string controlPlaneName, IDictionary<string, string>? extra = null)
    {
        var labels = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            [CapiLabels.ClusterName] = clusterName,
            [CapiLabels.ControlPlane] = "",
            [CapiLabels.ControlPlaneName] = controlPlaneName,
        };
        return labels;
    }

    /// <summary>The label selector of a cluster's control-plane Machines (<c>status.selector</c>).</summary>
    public static string Selector(string clusterName) => $"{CapiLabels.ClusterName}={clusterName},{CapiLabels.ControlPlane}";

    public static Api.Machine Machine(KubeadmControlPlane kcp, string clusterName, string name)
    {
        var template = kcp.Spec.MachineTemplate;
        var infraRef = template.Spec.InfrastructureRef;
        return new Api.Machine
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = kcp.Metadata.NamespaceProperty,
                Labels = Labels(clusterName, kcp.Metadata.Name, template.Metadata?.Labels),
                Annotations = template.Metadata?.Annotations is { Count: > 0 } a ? new Dictionary<string, string>(a) : null,
                OwnerReferences = [Controller(CapiGroups.ControlPlaneApiVersion, KubeadmControlPlane.KubeKind, kcp.Metadata)],
            },
            Spec = new MachineSpec
            {
                ClusterName = clusterName,
                Version = kcp.Spec.Version,
                Bootstrap = new MachineBootstrap
                {
                    ConfigRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Bootstrap, Kind = Api.KubeadmConfig.KubeKind, Name = name },
                },
                InfrastructureRef = new ContractVersionedObjectReference
                {
                    ApiGroup = infraRef.ApiGroup,
                    Kind = InfrastructureKind(infraRef.Kind),
                    Name = name,
                },
                ReadinessGates = template.Spec.ReadinessGates,
                Deletion = template.Spec.Deletion,
                Taints = template.Spec.Taints,
            },
        };
    }

    /// <summary>The Machine's KubeadmConfig: the control plane's kubeadmConfigSpec, with the init configuration for
    /// the Machine that initialises the control plane and a control-plane join configuration for the others.</summary>
    public static Api.KubeadmConfig KubeadmConfig(KubeadmControlPlane kcp, Machine machine, bool init)
    {
        var spec = Clone(kcp.Spec.KubeadmConfigSpec ?? new KubeadmConfigSpec());
        // No empty objects: the CRD requires at least one property in each of these, as a real API server enforces.
        // An init needs none of them (a control-plane config without a join configuration runs kubeadm init), and the
        // format CAPI's defaulting gives keeps the spec itself from being empty.
        spec.Format ??= BootstrapFormat.CloudConfig;
        if (init)
        {
            spec.JoinConfiguration = null;
        }
        else
        {
            spec.InitConfiguration = null;
            spec.ClusterConfiguration = null;
            spec.JoinConfiguration ??= new JoinConfiguration();
            spec.JoinConfiguration.ControlPlane ??= new JoinControlPlane();
        }
        return new Api.KubeadmConfig
        {
            Metadata = new V1ObjectMeta
            {
                Name = machine.Metadata.Name,
                NamespaceProperty = machine.Metadata.NamespaceProperty,
                Labels = Labels(machine.Spec.ClusterName, kcp.Metadata.Name),
                OwnerReferences = [Controller(CapiGroups.CoreApiVersion, "Machine", machine.Metadata)],
            },
            Spec = spec,
        };
    }

    /// <summary>The infrastructure machine cloned from the template's <c>spec.template</c> (any provider's kind),
    /// remembering which template it came from (CAPI's cloned-from annotations decide whether it is up to date).</summary>
    public static JsonObject InfrastructureMachine(JsonObject template, KubeadmControlPlane kcp, Machine machine)
    {
        var templateMeta = template["spec"]?["template"]?["metadata"] as JsonObject;
        var labels = new JsonObject();
        foreach (var (k, v) in templateMeta?["labels"] as JsonObject ?? []) labels[k] = v?.DeepClone();
        foreach (var (k, v) in Labels(machine.Spec.ClusterName, kcp.Metadata.Name)) labels[k] = v;
        var annotations = new JsonObject();
        foreach (var (k, v) in templateMeta?["annotations"] as JsonObject ?? []) annotations[k] = v?.DeepClone();
        var templateName = template["metadata"]?["name"]?.GetValue<string>() ?? "";
        var templateKind = template["kind"]?.GetValue<string>() ?? "";
        var apiVersion = template["apiVersion"]?.GetValue<string>() ?? "";
        annotations[CapiAnnotations.ClonedFromName] = templateName;
        annotations[CapiAnnotations.ClonedFromGroupKind] = $"{templateKind}.{GroupOf(apiVersion)}";
        var owner = Controller(CapiGroups.CoreApiVersion, "Machine", machine.Metadata);
        var clone = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = InfrastructureKind(templateKind),
            ["metadata"] = new JsonObject
            {
                ["name"] = machine.Metadata.Name,
                ["namespace"] = machine.Metadata.NamespaceProperty,
                ["labels"] = labels,
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(OwnerRefs.ToJson(owner)),
            },
        };
        if (NonEmpty(template["spec"]?["template"]?["spec"]) is { } spec) clone["spec"] = spec;
        return clone;
    }

    /// <summary>A copy of <paramref name="spec"/>, or nothing when it is absent or empty (an empty object would break
    /// a schema's minProperties, and an absent spec means the same).</summary>
    public static JsonNode? NonEmpty(JsonNode? spec) => spec is JsonObject { Count: > 0 } o ? o.DeepClone() : null;

    /// <summary>The kind a template stamps out (<c>DevMachineTemplate</c> → <c>DevMachine</c>).</summary>
    public static string InfrastructureKind(string templateKind) =>
        templateKind.EndsWith("Template", StringComparison.Ordinal) ? templateKind[..^"Template".Length] : templateKind;

    public static string GroupOf(string apiVersion) =>
        apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";

    private static V1OwnerReference Controller(string apiVersion, string kind, V1ObjectMeta owner) =>
        OwnerRefs.For(apiVersion, kind, owner, controller: true);

    private static KubeadmConfigSpec Clone(KubeadmConfigSpec spec) =>
        JsonSerializer.Deserialize<KubeadmConfigSpec>(JsonSerializer.Serialize(spec, Manifests.JsonOptions), Manifests.JsonOptions)!;
}
