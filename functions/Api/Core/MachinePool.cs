using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>cluster.x-k8s.io/v1beta2 MachinePool: a group of identical hosts whose infrastructure provider
/// scales them itself (a cloud's scale set, or the test provider's DevMachinePool).</summary>
[KubernetesEntity(Group = CapiGroups.Core, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "machinepools")]
public sealed class MachinePool : KubeObject<MachinePoolSpec, MachinePoolStatus>
{
    public const string KubeKind = "MachinePool";

    public MachinePool()
        : base(CapiGroups.CoreApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of MachinePools.</summary>
public sealed class MachinePoolList() : KubeList<MachinePool>(CapiGroups.CoreApiVersion, "MachinePoolList");

/// <summary>Desired state of a MachinePool.</summary>
public sealed class MachinePoolSpec : ApiObject
{
    [JsonPropertyName("clusterName"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63)]
    public string ClusterName { get; set; } = "";

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("template"), KubeRequired]
    public MachineTemplateSpec Template { get; set; } = new();

    /// <summary>Copied from the infrastructure MachinePool by the controller: the provider IDs of its instances.</summary>
    [JsonPropertyName("providerIDList")]
    [KubeItems(-1, 10000), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(512, OnItems = true)]
    public List<string>? ProviderIdList { get; set; }

    [JsonPropertyName("failureDomains")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? FailureDomains { get; set; }
}

/// <summary>Observed state of a MachinePool.</summary>
[KubeProperties(1)]
public sealed class MachinePoolStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("initialization")]
    public MachinePoolInitializationStatus? Initialization { get; set; }

    [JsonPropertyName("nodeRefs")]
    [KubeItems(-1, 10000), KubeListType("atomic")]
    public List<NodeObjectReference>? NodeRefs { get; set; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("availableReplicas")]
    public int? AvailableReplicas { get; set; }

    [JsonPropertyName("upToDateReplicas")]
    public int? UpToDateReplicas { get; set; }

    [JsonPropertyName("versions")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("version")]
    public List<StatusVersion>? Versions { get; set; }

    [JsonPropertyName("phase"), KubeEnum(MachinePoolPhase.Pending, MachinePoolPhase.Provisioning, MachinePoolPhase.Provisioned,
        MachinePoolPhase.Running, MachinePoolPhase.ScalingUp, MachinePoolPhase.ScalingDown, MachinePoolPhase.Scaling,
        MachinePoolPhase.Deleting, MachinePoolPhase.Failed, MachinePoolPhase.Unknown)]
    public string? Phase { get; set; }

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("deprecated")]
    public MachinePoolDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>Provisioning milestones of a MachinePool.</summary>
[KubeProperties(1)]
public sealed class MachinePoolInitializationStatus : ApiObject
{
    [JsonPropertyName("infrastructureProvisioned")]
    public bool? InfrastructureProvisioned { get; set; }

    [JsonPropertyName("bootstrapDataSecretCreated")]
    public bool? BootstrapDataSecretCreated { get; set; }
}

/// <summary>A Node of the workload cluster (<c>status.nodeRefs[]</c>: a core/v1 ObjectReference).</summary>
[KubeMapType("atomic")]
public sealed class NodeObjectReference : ApiObject
{
    [JsonPropertyName("apiVersion")]
    public string? ApiVersion { get; set; }

    [JsonPropertyName("fieldPath")]
    public string? FieldPath { get; set; }

    [JsonPropertyName("kind")]
    public string? Kind { get; set; }

    [JsonPropertyName("name")]
    public string? Name { get; set; }

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("resourceVersion")]
    public string? ResourceVersion { get; set; }

    [JsonPropertyName("uid")]
    public string? Uid { get; set; }
}

/// <summary>v1beta1 status fields kept for clients of the old API.</summary>
public sealed class MachinePoolDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public MachinePoolV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions, counters and terminal failure of a MachinePool. The v1beta1 ready count is what
/// CAPI's phase and node-reference logic compare with the desired replicas.</summary>
public sealed class MachinePoolV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }

    [JsonPropertyName("failureReason")]
    public string? FailureReason { get; set; }

    [JsonPropertyName("failureMessage")]
    [KubeMinLength(1), KubeMaxLength(10240)]
    public string? FailureMessage { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("availableReplicas")]
    public int? AvailableReplicas { get; set; }

    [JsonPropertyName("unavailableReplicas")]
    public int? UnavailableReplicas { get; set; }
}
