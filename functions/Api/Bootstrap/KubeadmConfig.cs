using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>bootstrap.cluster.x-k8s.io/v1beta2 KubeadmConfig: how one Machine runs kubeadm.</summary>
[KubernetesEntity(Group = CapiGroups.Bootstrap, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "kubeadmconfigs")]
public sealed class KubeadmConfig : KubeObject<KubeadmConfigSpec, KubeadmConfigStatus>
{
    public const string KubeKind = "KubeadmConfig";

    public KubeadmConfig()
        : base(CapiGroups.BootstrapApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of KubeadmConfigs.</summary>
public sealed class KubeadmConfigList() : KubeList<KubeadmConfig>(CapiGroups.BootstrapApiVersion, "KubeadmConfigList");

/// <summary>Observed state of a KubeadmConfig.</summary>
[KubeProperties(1)]
public sealed class KubeadmConfigStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("initialization")]
    public BootstrapInitializationStatus? Initialization { get; set; }

    [JsonPropertyName("dataSecretName")]
    [KubeMinLength(1), KubeMaxLength(253)]
    public string? DataSecretName { get; set; }

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("deprecated")]
    public KubeadmConfigDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>Provisioning milestones of a bootstrap config.</summary>
[KubeProperties(1)]
public sealed class BootstrapInitializationStatus : ApiObject
{
    [JsonPropertyName("dataSecretCreated")]
    public bool? DataSecretCreated { get; set; }
}

/// <summary>v1beta1 status fields kept for clients of the old API.</summary>
public sealed class KubeadmConfigDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public KubeadmConfigV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions and terminal failure of a KubeadmConfig.</summary>
public sealed class KubeadmConfigV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }

    [JsonPropertyName("failureReason")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? FailureReason { get; set; }

    [JsonPropertyName("failureMessage")]
    [KubeMinLength(1), KubeMaxLength(10240)]
    public string? FailureMessage { get; set; }
}

/// <summary>bootstrap.cluster.x-k8s.io/v1beta2 KubeadmConfigTemplate: the KubeadmConfig each Machine of a
/// MachineDeployment or MachineSet gets a copy of.</summary>
[KubernetesEntity(Group = CapiGroups.Bootstrap, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "kubeadmconfigtemplates")]
public sealed class KubeadmConfigTemplate : KubeObject<KubeadmConfigTemplateSpec, NoStatus>
{
    public const string KubeKind = "KubeadmConfigTemplate";

    public KubeadmConfigTemplate()
        : base(CapiGroups.BootstrapApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of KubeadmConfigTemplates.</summary>
public sealed class KubeadmConfigTemplateList() : KubeList<KubeadmConfigTemplate>(CapiGroups.BootstrapApiVersion, "KubeadmConfigTemplateList");

/// <summary>Desired state of a KubeadmConfigTemplate.</summary>
public sealed class KubeadmConfigTemplateSpec : ApiObject
{
    [JsonPropertyName("template"), KubeRequired]
    public KubeadmConfigTemplateResource Template { get; set; } = new();
}

/// <summary>The KubeadmConfig stamped out from a template.</summary>
[KubeProperties(1)]
public sealed class KubeadmConfigTemplateResource : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec")]
    public KubeadmConfigSpec? Spec { get; set; }
}
