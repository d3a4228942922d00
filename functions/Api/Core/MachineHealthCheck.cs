using System.Text.Json.Serialization;
using k8s.Models;

namespace ServerlessCapi.Api;

/// <summary>cluster.x-k8s.io/v1beta2 MachineHealthCheck: finds unhealthy Machines and asks for remediation.</summary>
[KubernetesEntity(Group = CapiGroups.Core, ApiVersion = CapiGroups.Version, Kind = KubeKind, PluralName = "machinehealthchecks")]
public sealed class MachineHealthCheck : KubeObject<MachineHealthCheckSpec, MachineHealthCheckStatus>
{
    public const string KubeKind = "MachineHealthCheck";

    public MachineHealthCheck()
        : base(CapiGroups.CoreApiVersion, KubeKind)
    {
    }
}

/// <summary>A list of MachineHealthChecks.</summary>
public sealed class MachineHealthCheckList() : KubeList<MachineHealthCheck>(CapiGroups.CoreApiVersion, "MachineHealthCheckList");

/// <summary>Desired state of a MachineHealthCheck.</summary>
public sealed class MachineHealthCheckSpec : ApiObject
{
    [JsonPropertyName("clusterName"), KubeRequired]
    public string ClusterName { get; set; } = "";

    [JsonPropertyName("selector"), KubeRequired]
    public LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("checks")]
    public MachineHealthCheckChecks? Checks { get; set; }

    [JsonPropertyName("remediation")]
    public MachineHealthCheckRemediation? Remediation { get; set; }
}

/// <summary>What makes a Machine unhealthy.</summary>
public sealed class MachineHealthCheckChecks : ApiObject
{
    [JsonPropertyName("nodeStartupTimeoutSeconds")]
    public int? NodeStartupTimeoutSeconds { get; set; }

    [JsonPropertyName("unhealthyNodeConditions")]
    public List<UnhealthyNodeCondition>? UnhealthyNodeConditions { get; set; }

    [JsonPropertyName("unhealthyMachineConditions")]
    public List<UnhealthyMachineCondition>? UnhealthyMachineConditions { get; set; }
}

/// <summary>A Node condition that, held for the timeout, makes the Machine unhealthy.</summary>
public sealed class UnhealthyNodeCondition : ApiObject
{
    [JsonPropertyName("type"), KubeRequired]
    public string Type { get; set; } = "";

    [JsonPropertyName("status"), KubeRequired]
    public string Status { get; set; } = "";

    [JsonPropertyName("timeoutSeconds"), KubeRequired]
    public int TimeoutSeconds { get; set; }
}

/// <summary>A Machine condition that, held for the timeout, makes the Machine unhealthy.</summary>
public sealed class UnhealthyMachineCondition : ApiObject
{
    [JsonPropertyName("type"), KubeRequired]
    public string Type { get; set; } = "";

    [JsonPropertyName("status"), KubeRequired, KubeEnum(ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown)]
    public string Status { get; set; } = "";

    [JsonPropertyName("timeoutSeconds"), KubeRequired]
    public int TimeoutSeconds { get; set; }
}

/// <summary>When and how unhealthy Machines are remediated.</summary>
public sealed class MachineHealthCheckRemediation : ApiObject
{
    [JsonPropertyName("triggerIf")]
    public MachineHealthCheckRemediationTriggerIf? TriggerIf { get; set; }

    [JsonPropertyName("templateRef")]
    public VersionedObjectReference? TemplateRef { get; set; }
}

/// <summary>Bounds on the number of unhealthy Machines for remediation to happen.</summary>
public sealed class MachineHealthCheckRemediationTriggerIf : ApiObject
{
    [JsonPropertyName("unhealthyLessThanOrEqualTo")]
    public IntOrString? UnhealthyLessThanOrEqualTo { get; set; }

    [JsonPropertyName("unhealthyInRange")]
    public string? UnhealthyInRange { get; set; }
}

/// <summary>Observed state of a MachineHealthCheck.</summary>
public sealed class MachineHealthCheckStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("expectedMachines")]
    public int? ExpectedMachines { get; set; }

    [JsonPropertyName("currentHealthy")]
    public int? CurrentHealthy { get; set; }

    [JsonPropertyName("remediationsAllowed")]
    public int? RemediationsAllowed { get; set; }

    [JsonPropertyName("observedGeneration")]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("targets")]
    public List<string>? Targets { get; set; }

    [JsonPropertyName("deprecated")]
    public MachineHealthCheckDeprecatedStatus? Deprecated { get; set; }
}

/// <summary>v1beta1 status fields kept for clients of the old API.</summary>
public sealed class MachineHealthCheckDeprecatedStatus : ApiObject
{
    [JsonPropertyName("v1beta1")]
    public MachineHealthCheckV1Beta1Status? V1Beta1 { get; set; }
}

/// <summary>v1beta1 conditions of a MachineHealthCheck.</summary>
public sealed class MachineHealthCheckV1Beta1Status : ApiObject
{
    [JsonPropertyName("conditions")]
    public List<V1Beta1Condition>? Conditions { get; set; }
}
