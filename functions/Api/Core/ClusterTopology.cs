using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>A Cluster's managed topology: the ClusterClass it is built from, the Kubernetes version, the
/// control plane and worker topologies, and the values of the class's variables.</summary>
public sealed class ClusterTopology : ApiObject
{
    [JsonPropertyName("classRef"), KubeRequired]
    public ClusterClassRef ClassRef { get; set; } = new();

    [JsonPropertyName("version"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Version { get; set; } = "";

    [JsonPropertyName("controlPlane")]
    public ControlPlaneTopology? ControlPlane { get; set; }

    [JsonPropertyName("workers")]
    public WorkersTopology? Workers { get; set; }

    [JsonPropertyName("variables")]
    [KubeItems(1, 1000), KubeListType("map"), KubeListMapKeys("name")]
    public List<ClusterVariable>? Variables { get; set; }
}

/// <summary>The ClusterClass a topology uses; without a namespace, the Cluster's.</summary>
public sealed class ClusterClassRef : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(253), KubePattern(KubePatterns.DnsSubdomain)]
    public string Name { get; set; } = "";

    [JsonPropertyName("namespace")]
    [KubeMinLength(1), KubeMaxLength(63), KubePattern(KubePatterns.DnsLabel)]
    public string? Namespace { get; set; }
}

/// <summary>The control plane of a topology.</summary>
[KubeProperties(1)]
public sealed class ControlPlaneTopology : ApiObject
{
    /// <summary>Labels and annotations for the control plane and its Machines, over the class's.</summary>
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    /// <summary>Replicas of the control plane; unset leaves them to the control plane provider.</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("rollout")]
    public ControlPlaneTopologyRolloutSpec? Rollout { get; set; }

    [JsonPropertyName("healthCheck")]
    public ControlPlaneTopologyHealthCheck? HealthCheck { get; set; }

    [JsonPropertyName("deletion")]
    public MachineDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("taints")]
    [KubeItems(1, 64), KubeListType("map"), KubeListMapKeys("key", "effect")]
    public List<MachineTaint>? Taints { get; set; }

    [JsonPropertyName("readinessGates")]
    [KubeItems(1, 32), KubeListType("map"), KubeListMapKeys("conditionType")]
    public List<ConditionGate>? ReadinessGates { get; set; }

    [JsonPropertyName("variables")]
    public TopologyVariableOverrides? Variables { get; set; }
}

/// <summary>When the control plane rolls out its Machines regardless of changes.</summary>
[KubeProperties(1)]
public sealed class ControlPlaneTopologyRolloutSpec : ApiObject
{
    [JsonPropertyName("after")]
    public DateTime? After { get; set; }
}

/// <summary>The control plane's health check in a topology: on or off, and values over the class's.</summary>
[KubeProperties(1)]
public sealed class ControlPlaneTopologyHealthCheck : ApiObject
{
    /// <summary>Whether the MachineHealthCheck exists; unset means "when the class or topology defines checks".</summary>
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    [JsonPropertyName("checks")]
    public MachineHealthCheckChecks? Checks { get; set; }

    [JsonPropertyName("remediation")]
    public MachineHealthCheckRemediation? Remediation { get; set; }

    [JsonIgnore]
    public bool IsDefined => Checks is not null || Remediation is not null;
}

/// <summary>The worker topologies of a Cluster.</summary>
[KubeProperties(1)]
public sealed class WorkersTopology : ApiObject
{
    [JsonPropertyName("machineDeployments")]
    [KubeItems(1, 2000), KubeListType("map"), KubeListMapKeys("name")]
    public List<MachineDeploymentTopology>? MachineDeployments { get; set; }

    [JsonPropertyName("machinePools")]
    [KubeItems(1, 2000), KubeListType("map"), KubeListMapKeys("name")]
    public List<MachinePoolTopology>? MachinePools { get; set; }
}

/// <summary>One MachineDeployment of a topology, of a class of the ClusterClass.</summary>
public sealed class MachineDeploymentTopology : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("class"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Class { get; set; } = "";

    /// <summary>Unique within the Cluster; names the MachineDeployment through the class's naming template.</summary>
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63), KubePattern(KubePatterns.DnsSubdomain)]
    public string Name { get; set; } = "";

    [JsonPropertyName("failureDomain")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? FailureDomain { get; set; }

    /// <summary>Replicas; unset leaves them to the MachineDeployment (or an autoscaler).</summary>
    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("healthCheck")]
    public MachineDeploymentTopologyHealthCheck? HealthCheck { get; set; }

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
    public MachineDeploymentRolloutSpec? Rollout { get; set; }

    [JsonPropertyName("variables")]
    public TopologyVariableOverrides? Variables { get; set; }
}

/// <summary>A MachineDeployment's health check in a topology: on or off, and values over the class's.</summary>
[KubeProperties(1)]
public sealed class MachineDeploymentTopologyHealthCheck : ApiObject
{
    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }

    [JsonPropertyName("checks")]
    public MachineHealthCheckChecks? Checks { get; set; }

    [JsonPropertyName("remediation")]
    public MachineDeploymentHealthCheckRemediation? Remediation { get; set; }

    [JsonIgnore]
    public bool IsDefined => Checks is not null || Remediation is not null;
}

/// <summary>One MachinePool of a topology, of a class of the ClusterClass.</summary>
public sealed class MachinePoolTopology : ApiObject
{
    [JsonPropertyName("metadata")]
    public ObjectMeta? Metadata { get; set; }

    [JsonPropertyName("class"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Class { get; set; } = "";

    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(63), KubePattern(KubePatterns.DnsSubdomain)]
    public string Name { get; set; } = "";

    [JsonPropertyName("failureDomains")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? FailureDomains { get; set; }

    [JsonPropertyName("deletion")]
    public MachineDeletionSpec? Deletion { get; set; }

    [JsonPropertyName("taints")]
    [KubeItems(1, 64), KubeListType("map"), KubeListMapKeys("key", "effect")]
    public List<MachineTaint>? Taints { get; set; }

    [JsonPropertyName("minReadySeconds")]
    [KubeMinimum(0)]
    public int? MinReadySeconds { get; set; }

    [JsonPropertyName("replicas")]
    public int? Replicas { get; set; }

    [JsonPropertyName("variables")]
    public TopologyVariableOverrides? Variables { get; set; }
}

/// <summary>Variable values of one control plane or worker topology that override the Cluster-wide ones.</summary>
[KubeProperties(1)]
public sealed class TopologyVariableOverrides : ApiObject
{
    [JsonPropertyName("overrides")]
    [KubeItems(1, 1000), KubeListType("map"), KubeListMapKeys("name")]
    public List<ClusterVariable>? Overrides { get; set; }
}

/// <summary>The value of a ClusterClass variable (any JSON, checked against the variable's schema).</summary>
public sealed class ClusterVariable : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Name { get; set; } = "";

    [JsonPropertyName("value"), KubeRequired]
    public JsonElement? Value { get; set; }
}
