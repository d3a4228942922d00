using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>The worker classes of a ClusterClass.</summary>
[KubeProperties(1)]
public sealed class WorkersClass : ApiObject
{
    [JsonPropertyName("machineDeployments")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("class")]
    public List<MachineDeploymentClass>? MachineDeployments { get; set; }

    [JsonPropertyName("machinePools")]
    [KubeItems(1, 100), KubeListType("map"), KubeListMapKeys("class")]
    public List<MachinePoolClass>? MachinePools { get; set; }
}

/// <summary>A class of MachineDeployments: the templates and defaults a MachineDeployment topology of that
/// class is built from.</summary>
public sealed class MachineDeploymentClass : ApiObject
{
    /// <summary>Labels and annotations for the MachineDeployment and its Machines.</summary>
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("class"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Class { get; set; } = "";

    [JsonPropertyName("bootstrap"), KubeRequired]
    public ClusterClassTemplate Bootstrap { get; set; } = new();

    [JsonPropertyName("infrastructure"), KubeRequired]
    public ClusterClassTemplate Infrastructure { get; set; } = new();

    [JsonPropertyName("healthCheck")]
    public MachineDeploymentClassHealthCheck? HealthCheck { get; set; }

    [JsonPropertyName("failureDomain")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? FailureDomain { get; set; }

    [JsonPropertyName("naming")]
    public ClusterClassNamingSpec? Naming { get; set; }

    [JsonPropertyName("deletion")]
    public MachineDeploymentClassDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("taints")]
    [KubeItems(1, 64), KubeListType("map"), KubeListMapKeys("key", "effect")]
    public List<MachineTaint>? Taints { get; set; }

    [JsonPropertyName("minReadySeconds")]
    [KubeMinimum(0)]
    public int? MinReadySeconds { get; set; }

    [JsonPropertyName("readinessGates")]
    [KubeItems(1, 32), KubeListType("map"), KubeListMapKeys("conditionType")]
    public List<ConditionGate>? ReadinessGates { get; set; }

    [JsonPropertyName("rollout")]
    public MachineDeploymentClassRolloutSpec? Rollout { get; set; }
}

/// <summary>The MachineHealthCheck a class (or topology) gives its MachineDeployments.</summary>
[KubeProperties(1)]
public sealed class MachineDeploymentClassHealthCheck : ApiObject
{
    [JsonPropertyName("checks")]
    public MachineHealthCheckChecks? Checks { get; set; }

    [JsonPropertyName("remediation")]
    public MachineDeploymentHealthCheckRemediation? Remediation { get; set; }

    [JsonIgnore]
    public bool IsDefined => Checks is not null || Remediation is not null;
}

/// <summary>Remediation of a MachineDeployment's health check: the MachineHealthCheck's plus the
/// MachineDeployment's in-flight bound.</summary>
[KubeProperties(1)]
public sealed class MachineDeploymentHealthCheckRemediation : ApiObject
{
    [JsonPropertyName("maxInFlight")]
    public IntOrString? MaxInFlight { get; set; }

    [JsonPropertyName("triggerIf")]
    public MachineHealthCheckRemediationTriggerIf? TriggerIf { get; set; }

    [JsonPropertyName("templateRef")]
    public VersionedObjectReference? TemplateRef { get; set; }
}

/// <summary>Deletion order and timeouts of the Machines of a MachineDeployment built from a class.</summary>
[KubeProperties(1)]
public sealed class MachineDeploymentClassDeletionSpec : ApiObject
{
    [JsonPropertyName("order"), KubeEnum(MachineSetDeletionOrder.Random, MachineSetDeletionOrder.Newest, MachineSetDeletionOrder.Oldest)]
    public string? Order { get; set; }

    [JsonPropertyName("nodeDrainTimeoutSeconds")]
    [KubeMinimum(0)]
    public int? NodeDrainTimeoutSeconds { get; set; }

    [JsonPropertyName("nodeVolumeDetachTimeoutSeconds")]
    [KubeMinimum(0)]
    public int? NodeVolumeDetachTimeoutSeconds { get; set; }

    [JsonPropertyName("nodeDeletionTimeoutSeconds")]
    [KubeMinimum(0)]
    public int? NodeDeletionTimeoutSeconds { get; set; }
}

/// <summary>The rollout strategy a class gives its MachineDeployments.</summary>
[KubeProperties(1)]
public sealed class MachineDeploymentClassRolloutSpec : ApiObject
{
    [JsonPropertyName("strategy")]
    public MachineDeploymentRolloutStrategy? Strategy { get; set; }
}

/// <summary>A class of MachinePools: the templates and defaults a MachinePool topology of that class is built from.</summary>
public sealed class MachinePoolClass : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("class"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Class { get; set; } = "";

    [JsonPropertyName("bootstrap"), KubeRequired]
    public ClusterClassTemplate Bootstrap { get; set; } = new();

    [JsonPropertyName("infrastructure"), KubeRequired]
    public ClusterClassTemplate Infrastructure { get; set; } = new();

    [JsonPropertyName("failureDomains")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? FailureDomains { get; set; }

    [JsonPropertyName("naming")]
    public ClusterClassNamingSpec? Naming { get; set; }

    [JsonPropertyName("deletion")]
    public MachineDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("taints")]
    [KubeItems(1, 64), KubeListType("map"), KubeListMapKeys("key", "effect")]
    public List<MachineTaint>? Taints { get; set; }

    [JsonPropertyName("minReadySeconds")]
    [KubeMinimum(0)]
    public int? MinReadySeconds { get; set; }
}
