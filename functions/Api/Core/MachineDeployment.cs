using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>cluster.x-k8s.io/v1beta2 MachineDeployment: declarative rollouts of MachineSets.</summary>
[KubernetesEntity(Group = CapiGroups.Core, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "machinedeployments")]
public sealed class MachineDeployment : KubeObject<MachineDeploymentSpec, MachineDeploymentStatus>
{
    public const string KubeKind = "MachineDeployment";

    public MachineDeployment()
        : base(CapiGroups.CoreApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of MachineDeployments.</summary>
public sealed class MachineDeploymentList() : KubeList<MachineDeployment>(CapiGroups.CoreApiVersion, "MachineDeploymentList");

/// <summary>Desired state of a MachineDeployment.</summary>
public sealed class MachineDeploymentSpec : ApiObject
{
    [JsonPropertyName("clusterName"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63)]
    public string ClusterName { get; set; } = "";

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("rollout")]
    public MachineDeploymentRolloutSpec? Rollout { get; set; }

    [JsonPropertyName("selector"), KubeRequired]
    public LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("template"), KubeRequired]
    public MachineTemplateSpec Template { get; set; } = new();

    [JsonPropertyName("machineNaming")]
    public MachineNamingSpec? MachineNaming { get; set; }

    [JsonPropertyName("remediation")]
    public MachineDeploymentRemediationSpec? Remediation { get; set; }

    [JsonPropertyName("deletion")]
    public MachineSetDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }
}

/// <summary>How and when a MachineDeployment rolls out changes.</summary>
[KubeProperties(1)]
public sealed class MachineDeploymentRolloutSpec : ApiObject
{
    [JsonPropertyName("after")]
    public DateTime? After { get; set; }

    [JsonPropertyName("strategy")]
    public MachineDeploymentRolloutStrategy? Strategy { get; set; }
}

/// <summary>The rollout strategy of a MachineDeployment.</summary>
[KubeProperties(1)]
public sealed class MachineDeploymentRolloutStrategy : ApiObject
{
    [JsonPropertyName("type"), KubeRequired, KubeEnum(RolloutStrategyType.RollingUpdate, RolloutStrategyType.OnDelete)]
    public string? Type { get; set; }

    [JsonPropertyName("rollingUpdate")]
    public MachineRollingUpdate? RollingUpdate { get; set; }
}

/// <summary>Values of rollout strategy types.</summary>
public static class RolloutStrategyType
{
    public const string RollingUpdate = "RollingUpdate";
    public const string OnDelete = "OnDelete";
}

/// <summary>Surge and unavailability bounds of a rolling update.</summary>
[KubeProperties(1)]
public sealed class MachineRollingUpdate : ApiObject
{
    [JsonPropertyName("maxUnavailable")]
    public IntOrString? MaxUnavailable { get; set; }

    [JsonPropertyName("maxSurge")]
    public IntOrString? MaxSurge { get; set; }
}

/// <summary>Bounds for remediating unhealthy Machines of a MachineDeployment.</summary>
[KubeProperties(1)]
public sealed class MachineDeploymentRemediationSpec : ApiObject
{
    [JsonPropertyName("maxInFlight")]
    public IntOrString? MaxInFlight { get; set; }
}

/// <summary>Observed state of a MachineDeployment.</summary>
[KubeProperties(1)]
public sealed class MachineDeploymentStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

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

    [JsonPropertyName("phase"), KubeEnum(MachineDeploymentPhase.ScalingUp, MachineDeploymentPhase.ScalingDown, MachineDeploymentPhase.Running,
        MachineDeploymentPhase.Failed, MachineDeploymentPhase.Unknown)]
    public string? Phase { get; set; }

    [JsonPropertyName("deprecated")]
    public MachineDeploymentDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>v1beta1 status fields kept for clients of the old API.</summary>
public sealed class MachineDeploymentDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public MachineDeploymentV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions and counters of a MachineDeployment.</summary>
public sealed class MachineDeploymentV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }

    [JsonPropertyName("updatedReplicas")]
    public int? UpdatedReplicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("availableReplicas")]
    public int? AvailableReplicas { get; set; }

    [JsonPropertyName("unavailableReplicas")]
    public int? UnavailableReplicas { get; set; }
}
