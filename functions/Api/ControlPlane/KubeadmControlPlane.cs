using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>controlplane.cluster.x-k8s.io/v1beta2 KubeadmControlPlane: the control-plane Machines of a Cluster.</summary>
[KubernetesEntity(Group = CapiGroups.ControlPlane, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "kubeadmcontrolplanes")]
public sealed class KubeadmControlPlane : KubeObject<KubeadmControlPlaneSpec, KubeadmControlPlaneStatus>
{
    public const string KubeKind = "KubeadmControlPlane";

    public KubeadmControlPlane()
        : base(CapiGroups.ControlPlaneApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of KubeadmControlPlanes.</summary>
public sealed class KubeadmControlPlaneList() : KubeList<KubeadmControlPlane>(CapiGroups.ControlPlaneApiVersion, "KubeadmControlPlaneList");

/// <summary>Desired state of a KubeadmControlPlane.</summary>
public sealed class KubeadmControlPlaneSpec : ApiObject
{
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("version"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Version { get; set; } = "";

    [JsonPropertyName("machineTemplate"), KubeRequired]
    public KubeadmControlPlaneMachineTemplate MachineTemplate { get; set; } = new();

    [JsonPropertyName("kubeadmConfigSpec")]
    public KubeadmConfigSpec? KubeadmConfigSpec { get; set; }

    [JsonPropertyName("rollout")]
    public KubeadmControlPlaneRolloutSpec? Rollout { get; set; }

    [JsonPropertyName("remediation")]
    public KubeadmControlPlaneRemediationSpec? Remediation { get; set; }

    [JsonPropertyName("machineNaming")]
    public MachineNamingSpec? MachineNaming { get; set; }
}

/// <summary>What every control-plane Machine gets.</summary>
public sealed class KubeadmControlPlaneMachineTemplate : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("spec"), KubeRequired]
    public KubeadmControlPlaneMachineTemplateSpec Spec { get; set; } = new();
}

/// <summary>The Machine fields a KubeadmControlPlane sets on its Machines.</summary>
public sealed class KubeadmControlPlaneMachineTemplateSpec : ApiObject
{
    [JsonPropertyName("infrastructureRef"), KubeRequired]
    public ContractVersionedObjectReference InfrastructureRef { get; set; } = new();

    [JsonPropertyName("readinessGates")]
    [KubeItems(1, 32), KubeListType("map"), KubeListMapKeys("conditionType")]
    public List<ConditionGate>? ReadinessGates { get; set; }

    [JsonPropertyName("deletion")]
    public MachineDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("taints")]
    [KubeItems(1, 64), KubeListType("map"), KubeListMapKeys("key", "effect")]
    public List<MachineTaint>? Taints { get; set; }
}

/// <summary>How and when a KubeadmControlPlane replaces its Machines.</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneRolloutSpec : ApiObject
{
    [JsonPropertyName("before")]
    public KubeadmControlPlaneRolloutBefore? Before { get; set; }

    [JsonPropertyName("after")]
    public DateTime? After { get; set; }

    [JsonPropertyName("strategy")]
    public KubeadmControlPlaneRolloutStrategy? Strategy { get; set; }
}

/// <summary>Roll out Machines whose certificates expire within the given days.</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneRolloutBefore : ApiObject
{
    [JsonPropertyName("certificatesExpiryDays")]
    [KubeMinimum(7)]
    public int? CertificatesExpiryDays { get; set; }
}

/// <summary>The rollout strategy of a KubeadmControlPlane (RollingUpdate only).</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneRolloutStrategy : ApiObject
{
    [JsonPropertyName("type"), KubeRequired, KubeEnum(RolloutStrategyType.RollingUpdate)]
    public string? Type { get; set; }

    [JsonPropertyName("rollingUpdate")]
    public KubeadmControlPlaneRollingUpdate? RollingUpdate { get; set; }
}

/// <summary>Surge bound of a control-plane rolling update (0 or 1).</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneRollingUpdate : ApiObject
{
    [JsonPropertyName("maxSurge")]
    public IntOrString? MaxSurge { get; set; }
}

/// <summary>Retry bounds for remediating control-plane Machines.</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneRemediationSpec : ApiObject
{
    [JsonPropertyName("maxRetry")]
    public int? MaxRetry { get; set; }

    [JsonPropertyName("retryPeriodSeconds")]
    [KubeMinimum(0)]
    public int? RetryPeriodSeconds { get; set; }

    [JsonPropertyName("minHealthyPeriodSeconds")]
    [KubeMinimum(0)]
    public int? MinHealthyPeriodSeconds { get; set; }
}

/// <summary>Observed state of a KubeadmControlPlane.</summary>
[KubeProperties(1)]
public sealed class KubeadmControlPlaneStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("initialization")]
    public ControlPlaneInitializationStatus? Initialization { get; set; }

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

    [JsonPropertyName("version")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Version { get; set; }

    [JsonPropertyName("versions")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("version")]
    public List<StatusVersion>? Versions { get; set; }

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("lastRemediation")]
    public LastRemediationStatus? LastRemediation { get; set; }

    [JsonPropertyName("deprecated")]
    public KubeadmControlPlaneDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>Provisioning milestones of a control plane.</summary>
[KubeProperties(1)]
public sealed class ControlPlaneInitializationStatus : ApiObject
{
    [JsonPropertyName("controlPlaneInitialized")]
    public bool? ControlPlaneInitialized { get; set; }
}

/// <summary>The last Machine remediated and how often it was retried.</summary>
public sealed class LastRemediationStatus : ApiObject
{
    [JsonPropertyName("machine"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253)]
    public string Machine { get; set; } = "";

    [JsonPropertyName("time"), KubeRequired]
    public DateTime Time { get; set; }

    [JsonPropertyName("retryCount"), KubeRequired]
    [KubeMinimum(0)]
    public int RetryCount { get; set; }
}

/// <summary>v1beta1 status fields kept for clients of the old API.</summary>
public sealed class KubeadmControlPlaneDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public KubeadmControlPlaneV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions, counters and terminal failure of a KubeadmControlPlane.</summary>
public sealed class KubeadmControlPlaneV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }

    [JsonPropertyName("failureReason")]
    public string? FailureReason { get; set; }

    [JsonPropertyName("failureMessage")]
    [KubeMinLength(1), KubeMaxLength(10240)]
    public string? FailureMessage { get; set; }

    [JsonPropertyName("updatedReplicas")]
    public int? UpdatedReplicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("unavailableReplicas")]
    public int? UnavailableReplicas { get; set; }
}
