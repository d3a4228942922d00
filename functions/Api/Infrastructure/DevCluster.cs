using System.Text.Json;
using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>infrastructure.cluster.x-k8s.io/v1beta2 DevCluster: the infrastructure of a Cluster on CAPI's
/// test provider (docker or in-memory backend).</summary>
[KubernetesEntity(Group = CapiGroups.Infrastructure, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "devclusters")]
public sealed class DevCluster : KubeObject<DevClusterSpec, DevClusterStatus>
{
    public const string KubeKind = "DevCluster";

    public DevCluster()
        : base(CapiGroups.InfrastructureApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of DevClusters.</summary>
public sealed class DevClusterList() : KubeList<DevCluster>(CapiGroups.InfrastructureApiVersion, "DevClusterList");

/// <summary>Desired state of a DevCluster.</summary>
public sealed class DevClusterSpec : ApiObject
{
    [JsonPropertyName("controlPlaneEndpoint")]
    public ApiEndpoint? ControlPlaneEndpoint { get; set; }

    [JsonPropertyName("backend"), KubeRequired]
    public DevClusterBackendSpec Backend { get; set; } = new();
}

/// <summary>Which backend provides the cluster infrastructure.</summary>
public sealed class DevClusterBackendSpec : ApiObject
{
    [JsonPropertyName("docker"), PreserveUnknownFields]
    public JsonElement? Docker { get; set; }

    [JsonPropertyName("inMemory")]
    public InMemoryClusterBackendSpec? InMemory { get; set; }
}

/// <summary>The in-memory cluster backend (no settings).</summary>
public sealed class InMemoryClusterBackendSpec : ApiObject;

/// <summary>Observed state of a DevCluster.</summary>
public sealed class DevClusterStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("initialization")]
    public InfrastructureInitializationStatus? Initialization { get; set; }

    [JsonPropertyName("failureDomains")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("name")]
    public List<FailureDomain>? FailureDomains { get; set; }

    [JsonPropertyName("deprecated")]
    public InfrastructureDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>Provisioning milestone of an infrastructure object (<c>status.initialization.provisioned</c>).</summary>
[KubeProperties(1)]
public sealed class InfrastructureInitializationStatus : ApiObject
{
    [JsonPropertyName("provisioned")]
    public bool? Provisioned { get; set; }
}

/// <summary>v1beta1 status fields kept for clients of the old API.</summary>
public sealed class InfrastructureDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public InfrastructureV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions of an infrastructure object.</summary>
public sealed class InfrastructureV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }
}

/// <summary>infrastructure.cluster.x-k8s.io/v1beta2 DevClusterTemplate (used by ClusterClasses).</summary>
[KubernetesEntity(Group = CapiGroups.Infrastructure, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "devclustertemplates")]
public sealed class DevClusterTemplate : KubeObject<DevClusterTemplateSpec, NoStatus>
{
    public const string KubeKind = "DevClusterTemplate";

    public DevClusterTemplate()
        : base(CapiGroups.InfrastructureApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of DevClusterTemplates.</summary>
public sealed class DevClusterTemplateList() : KubeList<DevClusterTemplate>(CapiGroups.InfrastructureApiVersion, "DevClusterTemplateList");

/// <summary>Desired state of a DevClusterTemplate.</summary>
public sealed class DevClusterTemplateSpec : ApiObject
{
    [JsonPropertyName("template"), KubeRequired]
    public DevClusterTemplateResource Template { get; set; } = new();
}

/// <summary>The DevCluster stamped out from a template.</summary>
public sealed class DevClusterTemplateResource : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec"), KubeRequired]
    public DevClusterSpec Spec { get; set; } = new();
}
