using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>cluster.x-k8s.io/v1beta2 MachineSet: keeps a number of identical Machines.</summary>
[KubernetesEntity(Group = CapiGroups.Core, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "machinesets")]
public sealed class MachineSet : KubeObject<MachineSetSpec, MachineSetStatus>
{
    public const string KubeKind = "MachineSet";

    public MachineSet()
        : base(CapiGroups.CoreApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of MachineSets.</summary>
public sealed class MachineSetList() : KubeList<MachineSet>(CapiGroups.CoreApiVersion, "MachineSetList");

/// <summary>Desired state of a MachineSet.</summary>
public sealed class MachineSetSpec : ApiObject
{
    [JsonPropertyName("clusterName"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63)]
    public string ClusterName { get; set; } = "";

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("deletion")]
    public MachineSetDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("selector"), KubeRequired]
    public LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("template"), KubeRequired]
    public MachineTemplateSpec Template { get; set; } = new();

    [JsonPropertyName("machineNaming")]
    public MachineNamingSpec? MachineNaming { get; set; }
}

/// <summary>Observed state of a MachineSet.</summary>
[KubeProperties(1)]
public sealed class MachineSetStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("selector")]
    [KubeMinLength(1), KubeMaxLength(4096)]
    public string? Selector { get; set; }

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

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("deprecated")]
    public MachineSetDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>v1beta1 status fields kept for clients of the old API.</summary>
public sealed class MachineSetDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public MachineSetV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions, counters and terminal failure of a MachineSet.</summary>
public sealed class MachineSetV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }

    [JsonPropertyName("failureReason")]
    public string? FailureReason { get; set; }

    [JsonPropertyName("failureMessage")]
    [KubeMinLength(1), KubeMaxLength(10240)]
    public string? FailureMessage { get; set; }

    [JsonPropertyName("fullyLabeledReplicas")]
    public int? FullyLabeledReplicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("availableReplicas")]
    public int? AvailableReplicas { get; set; }
}
