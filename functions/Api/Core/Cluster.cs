using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>cluster.x-k8s.io/v1beta2 Cluster: a workload cluster and the references to its parts.</summary>
[KubernetesEntity(Group = CapiGroups.Core, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "clusters")]
public sealed class Cluster : KubeObject<ClusterSpec, ClusterStatus>
{
    public const string KubeKind = "Cluster";

    public Cluster()
        : base(CapiGroups.CoreApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of Clusters.</summary>
public sealed class ClusterList() : KubeList<Cluster>(CapiGroups.CoreApiVersion, "ClusterList");

/// <summary>Desired state of a Cluster.</summary>
[KubeProperties(1)]
public sealed class ClusterSpec : ApiObject
{
    [JsonPropertyName("paused")]
    public bool? Paused { get; set; }

    [JsonPropertyName("clusterNetwork")]
    public ClusterNetwork? ClusterNetwork { get; set; }

    [JsonPropertyName("controlPlaneEndpoint")]
    public ApiEndpoint? ControlPlaneEndpoint { get; set; }

    [JsonPropertyName("controlPlaneRef")]
    public ContractVersionedObjectReference? ControlPlaneRef { get; set; }

    [JsonPropertyName("infrastructureRef")]
    public ContractVersionedObjectReference? InfrastructureRef { get; set; }

    [JsonPropertyName("topology")]
    public ClusterTopology? Topology { get; set; }

    [JsonPropertyName("availabilityGates")]
    [KubeItems(1, 32), KubeListType("map"), KubeListMapKeys("conditionType")]
    public List<ConditionGate>? AvailabilityGates { get; set; }
}

/// <summary>Network ranges of the workload cluster.</summary>
[KubeProperties(1)]
public sealed class ClusterNetwork : ApiObject
{
    [JsonPropertyName("apiServerPort")]
    [KubeMinimum(1), KubeMaximum(65535)]
    public int? ApiServerPort { get; set; }

    [JsonPropertyName("services")]
    public NetworkRanges? Services { get; set; }

    [JsonPropertyName("pods")]
    public NetworkRanges? Pods { get; set; }

    [JsonPropertyName("serviceDomain")]
    [KubeMinLength(1), KubeMaxLength(253)]
    public string? ServiceDomain { get; set; }
}

/// <summary>A list of CIDR blocks.</summary>
public sealed class NetworkRanges : ApiObject
{
    [JsonPropertyName("cidrBlocks"), KubeRequired]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(43, OnItems = true)]
    public List<string> CidrBlocks { get; set; } = [];
}

/// <summary>Observed state of a Cluster.</summary>
[KubeProperties(1)]
public sealed class ClusterStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("initialization")]
    public ClusterInitializationStatus? Initialization { get; set; }

    [JsonPropertyName("controlPlane")]
    public ClusterReplicasSummary? ControlPlane { get; set; }

    [JsonPropertyName("workers")]
    public ClusterReplicasSummary? Workers { get; set; }

    [JsonPropertyName("failureDomains")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("name")]
    public List<FailureDomain>? FailureDomains { get; set; }

    [JsonPropertyName("phase"), KubeEnum(ClusterPhase.Pending, ClusterPhase.Provisioning, ClusterPhase.Provisioned, ClusterPhase.Deleting,
        ClusterPhase.Failed, ClusterPhase.Unknown)]
    public string? Phase { get; set; }

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("deprecated")]
    public ClusterDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>Provisioning milestones of a Cluster.</summary>
[KubeProperties(1)]
public sealed class ClusterInitializationStatus : ApiObject
{
    [JsonPropertyName("infrastructureProvisioned")]
    public bool? InfrastructureProvisioned { get; set; }

    [JsonPropertyName("controlPlaneInitialized")]
    public bool? ControlPlaneInitialized { get; set; }
}

/// <summary>Replica counters of the control plane or of the workers of a Cluster.</summary>
public sealed class ClusterReplicasSummary : ApiObject
{
    [JsonPropertyName("desiredReplicas")]
    public int? DesiredReplicas { get; set; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("readyReplicas")]
    public int? ReadyReplicas { get; set; }

    [JsonPropertyName("availableReplicas")]
    public int? AvailableReplicas { get; set; }

    [JsonPropertyName("upToDateReplicas")]
    public int? UpToDateReplicas { get; set; }

    [JsonPropertyName("versions")]
    [KubeItems(1, 32), KubeListType("atomic")]
    public List<StatusVersion>? Versions { get; set; }

    [JsonPropertyName("upgradePlan")]
    [KubeItems(1, 32), KubeListType("atomic")]
    public List<UpgradeStep>? UpgradePlan { get; set; }
}

/// <summary>One version step of a planned upgrade.</summary>
public sealed class UpgradeStep : ApiObject
{
    [JsonPropertyName("version"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Version { get; set; } = "";
}

/// <summary>v1beta1 status fields kept for clients of the old API.</summary>
public sealed class ClusterDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public ClusterV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions and terminal failure of a Cluster.</summary>
public sealed class ClusterV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }

    [JsonPropertyName("failureReason")]
    public string? FailureReason { get; set; }

    [JsonPropertyName("failureMessage")]
    [KubeMinLength(1), KubeMaxLength(10240)]
    public string? FailureMessage { get; set; }
}
