using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>cluster.x-k8s.io/v1beta2 Machine: one host that should become a Node.</summary>
[KubernetesEntity(Group = CapiGroups.Core, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "machines")]
public sealed class Machine : KubeObject<MachineSpec, MachineStatus>
{
    public const string KubeKind = "Machine";

    public Machine()
        : base(CapiGroups.CoreApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of Machines.</summary>
public sealed class MachineList() : KubeList<Machine>(CapiGroups.CoreApiVersion, "MachineList");

/// <summary>Desired state of a Machine.</summary>
public sealed class MachineSpec : ApiObject
{
    [JsonPropertyName("clusterName"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63)]
    public string ClusterName { get; set; } = "";

    [JsonPropertyName("bootstrap"), KubeRequired]
    public MachineBootstrap Bootstrap { get; set; } = new();

    [JsonPropertyName("infrastructureRef"), KubeRequired]
    public ContractVersionedObjectReference InfrastructureRef { get; set; } = new();

    [JsonPropertyName("version")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Version { get; set; }

    [JsonPropertyName("providerID")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? ProviderId { get; set; }

    [JsonPropertyName("failureDomain")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? FailureDomain { get; set; }

    [JsonPropertyName("minReadySeconds")]
    [KubeMinimum(0)]
    public int? MinReadySeconds { get; set; }

    [JsonPropertyName("readinessGates")]
    [KubeItems(1, 32), KubeListType("map"), KubeListMapKeys("conditionType")]
    public List<ConditionGate>? ReadinessGates { get; set; }

    [JsonPropertyName("deletion")]
    public MachineDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("taints")]
    [KubeItems(1, 64), KubeListType("map"), KubeListMapKeys("key", "effect")]
    public List<MachineTaint>? Taints { get; set; }
}

/// <summary>Where a Machine's bootstrap data comes from.</summary>
public sealed class MachineBootstrap : ApiObject
{
    [JsonPropertyName("configRef")]
    public ContractVersionedObjectReference? ConfigRef { get; set; }

    [JsonPropertyName("dataSecretName")]
    [KubeMinLength(0), KubeMaxLength(253)]
    public string? DataSecretName { get; set; }
}

/// <summary>Observed state of a Machine.</summary>
[KubeProperties(1)]
public sealed class MachineStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("initialization")]
    public MachineInitializationStatus? Initialization { get; set; }

    [JsonPropertyName("nodeRef")]
    public MachineNodeReference? NodeRef { get; set; }

    [JsonPropertyName("nodeInfo")]
    public NodeSystemInfo? NodeInfo { get; set; }

    [JsonPropertyName("lastUpdated")]
    public DateTime? LastUpdated { get; set; }

    [JsonPropertyName("failureDomain")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? FailureDomain { get; set; }

    [JsonPropertyName("addresses")]
    [KubeItems(-1, 256), KubeListType("atomic")]
    public List<MachineAddress>? Addresses { get; set; }

    [JsonPropertyName("phase"), KubeEnum(MachinePhase.Pending, MachinePhase.Provisioning, MachinePhase.Provisioned, MachinePhase.Running,
        MachinePhase.Updating, MachinePhase.Deleting, MachinePhase.Deleted, MachinePhase.Failed, MachinePhase.Unknown)]
    public string? Phase { get; set; }

    [JsonPropertyName("certificatesExpiryDate")]
    public DateTime? CertificatesExpiryDate { get; set; }

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("deletion")]
    public MachineDeletionStatus? Deletion { get; set; }

    [JsonPropertyName("deprecated")]
    public MachineDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>Provisioning milestones of a Machine.</summary>
[KubeProperties(1)]
public sealed class MachineInitializationStatus : ApiObject
{
    [JsonPropertyName("infrastructureProvisioned")]
    public bool? InfrastructureProvisioned { get; set; }

    [JsonPropertyName("bootstrapDataSecretCreated")]
    public bool? BootstrapDataSecretCreated { get; set; }
}

/// <summary>When each deletion step of a Machine started.</summary>
public sealed class MachineDeletionStatus : ApiObject
{
    [JsonPropertyName("nodeDrainStartTime")]
    public DateTime? NodeDrainStartTime { get; set; }

    [JsonPropertyName("waitForNodeVolumeDetachStartTime")]
    public DateTime? WaitForNodeVolumeDetachStartTime { get; set; }

    [JsonPropertyName("waitForPreDrainHookStartTime")]
    public DateTime? WaitForPreDrainHookStartTime { get; set; }

    [JsonPropertyName("waitForPreTerminateHookStartTime")]
    public DateTime? WaitForPreTerminateHookStartTime { get; set; }
}

/// <summary>What a Node reports about its host (core/v1 NodeSystemInfo).</summary>
public sealed class NodeSystemInfo : ApiObject
{
    [JsonPropertyName("machineID"), KubeRequired]
    public string MachineId { get; set; } = "";

    [JsonPropertyName("systemUUID"), KubeRequired]
    public string SystemUuid { get; set; } = "";

    [JsonPropertyName("bootID"), KubeRequired]
    public string BootId { get; set; } = "";

    [JsonPropertyName("kernelVersion"), KubeRequired]
    public string KernelVersion { get; set; } = "";

    [JsonPropertyName("osImage"), KubeRequired]
    public string OsImage { get; set; } = "";

    [JsonPropertyName("containerRuntimeVersion"), KubeRequired]
    public string ContainerRuntimeVersion { get; set; } = "";

    [JsonPropertyName("kubeletVersion"), KubeRequired]
    public string KubeletVersion { get; set; } = "";

    [JsonPropertyName("kubeProxyVersion"), KubeRequired]
    public string KubeProxyVersion { get; set; } = "";

    [JsonPropertyName("operatingSystem"), KubeRequired]
    public string OperatingSystem { get; set; } = "";

    [JsonPropertyName("architecture"), KubeRequired]
    public string Architecture { get; set; } = "";

    [JsonPropertyName("swap")]
    public NodeSwapStatus? Swap { get; set; }
}

/// <summary>Swap capacity of a Node.</summary>
public sealed class NodeSwapStatus : ApiObject
{
    [JsonPropertyName("capacity")]
    public long? Capacity { get; set; }
}

/// <summary>v1beta1 status fields kept for clients of the old API.</summary>
public sealed class MachineDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public MachineV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions and terminal failure of a Machine.</summary>
public sealed class MachineV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }

    [JsonPropertyName("failureReason")]
    public string? FailureReason { get; set; }

    [JsonPropertyName("failureMessage")]
    [KubeMinLength(1), KubeMaxLength(10240)]
    public string? FailureMessage { get; set; }
}
