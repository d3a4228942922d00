using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>controlplane.cluster.x-k8s.io/v1beta2 KubeadmControlPlaneTemplate (used by ClusterClasses).</summary>
[KubernetesEntity(Group = CapiGroups.ControlPlane, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "kubeadmcontrolplanetemplates")]
public sealed class KubeadmControlPlaneTemplate : KubeObject<KubeadmControlPlaneTemplateSpec, NoStatus>
{
    public const string KubeKind = "KubeadmControlPlaneTemplate";

    public KubeadmControlPlaneTemplate()
        : base(CapiGroups.ControlPlaneApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of KubeadmControlPlaneTemplates.</summary>
public sealed class KubeadmControlPlaneTemplateList() : KubeList<KubeadmControlPlaneTemplate>(CapiGroups.ControlPlaneApiVersion, "KubeadmControlPlaneTemplateList");

/// <summary>Desired state of a KubeadmControlPlaneTemplate.</summary>
public sealed class KubeadmControlPlaneTemplateSpec : ApiObject
{
    [JsonPropertyName("template"), KubeRequired]
    public KubeadmControlPlaneTemplateResource Template { get; set; } = new();
}

/// <summary>The KubeadmControlPlane stamped out from a template.</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneTemplateResource : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec")]
    public KubeadmControlPlaneTemplateResourceSpec? Spec { get; set; }
}

/// <summary>The KubeadmControlPlane fields a template sets (no replicas, version or infrastructure).</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneTemplateResourceSpec : ApiObject
{
    [JsonPropertyName("machineTemplate")]
    public KubeadmControlPlaneTemplateMachineTemplate? MachineTemplate { get; set; }

    [JsonPropertyName("kubeadmConfigSpec")]
    public KubeadmConfigSpec? KubeadmConfigSpec { get; set; }

    [JsonPropertyName("rollout")]
    public KubeadmControlPlaneRolloutSpec? Rollout { get; set; }

    [JsonPropertyName("remediation")]
    public KubeadmControlPlaneRemediationSpec? Remediation { get; set; }

    [JsonPropertyName("machineNaming")]
    public MachineNamingSpec? MachineNaming { get; set; }
}

/// <summary>Machine settings of a KubeadmControlPlaneTemplate.</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneTemplateMachineTemplate : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec")]
    public KubeadmControlPlaneTemplateMachineTemplateSpec? Spec { get; set; }
}

/// <summary>Machine fields a KubeadmControlPlaneTemplate sets.</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneTemplateMachineTemplateSpec : ApiObject
{
    [JsonPropertyName("deletion")]
    public MachineDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("taints")]
    [KubeItems(1, 64), KubeListType("map"), KubeListMapKeys("key", "effect")]
    public List<MachineTaint>? Taints { get; set; }
}
