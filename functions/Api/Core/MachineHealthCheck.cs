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
    [KubeMinLength(1), KubeMaxLength(63)]
    public string ClusterName { get; set; } = "";

    [JsonPropertyName("selector"), KubeRequired]
    public LabelSelector Selector { get; set; } = new();

    [JsonPropertyName("checks")]
    public MachineHealthCheckChecks? Checks { get; set; }

    [JsonPropertyName("remediation")]
    public MachineHealthCheckRemediation? Remediation { get; set; }
}

/// <summary>What makes a Machine unhealthy.</summary>
[KubeProperties(1)]
public sealed class MachineHealthCheckChecks : ApiObject
{
    [JsonPropertyName("nodeStartupTimeoutSeconds")]
    [KubeMinimum(0)]
    public int? NodeStartupTimeoutSeconds { get; set; }

    [JsonPropertyName("unhealthyNodeConditions")]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<UnhealthyNodeCondition>? UnhealthyNodeConditions { get; set; }

    [JsonPropertyName("unhealthyMachineConditions")]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<UnhealthyMachineCondition>? UnhealthyMachineConditions { get; set; }
}

/// <summary>A Node condition that, held for the timeout, makes the Machine unhealthy.</summary>
public sealed class UnhealthyNodeCondition : ApiObject
{
    [JsonPropertyName("type"), KubeRequired]
    [KubeMinLength(1)]
    public string Type { get; set; } = "";

    [JsonPropertyName("status"), KubeRequired]
    [KubeMinLength(1)]
    public string Status { get; set; } = "";

    [JsonPropertyName("timeoutSeconds"), KubeRequired]
    [KubeMinimum(0)]
    public int TimeoutSeconds { get; set; }
}

/// <summary>A Machine condition that, held for the timeout, makes the Machine unhealthy.</summary>
public sealed class UnhealthyMachineCondition : ApiObject
{
    [JsonPropertyName("type"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(316), KubePattern(KubePatterns.ConditionType)]
    [KubeValidation(@"!(self in ['Ready','Available','HealthCheckSucceeded','OwnerRemediated','ExternallyRemediated'])", @"type must not be one of: Ready, Available, HealthCheckSucceeded, OwnerRemediated, ExternallyRemediated")]
    public string Type { get; set; } = "";

    [JsonPropertyName("status"), KubeRequired, KubeEnum(ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown)]
    public string Status { get; set; } = "";

    [JsonPropertyName("timeoutSeconds"), KubeRequired]
    [KubeMinimum(0)]
    public int TimeoutSeconds { get; set; }
}

/// <summary>When and how unhealthy Machines are remediated.</summary>
[KubeProperties(1)]
public sealed class MachineHealthCheckRemediation : ApiObject
{
    [JsonPropertyName("triggerIf")]
    public MachineHealthCheckRemediationTriggerIf? TriggerIf { get; set; }

    [JsonPropertyName("templateRef")]
    public VersionedObjectReference? TemplateRef { get; set; }
}

/// <summary>Bounds on the number of unhealthy Machines for remediation to happen.</summary>
[KubeProperties(1)]
public sealed class MachineHealthCheckRemediationTriggerIf : ApiObject
{
    [JsonPropertyName("unhealthyLessThanOrEqualTo")]
    public IntOrString? UnhealthyLessThanOrEqualTo { get; set; }

    [JsonPropertyName("unhealthyInRange")]
    [KubeMinLength(1), KubeMaxLength(32), KubePattern(KubePatterns.CountRange)]
    public string? UnhealthyInRange { get; set; }
}

/// <summary>Observed state of a MachineHealthCheck.</summary>
[KubeProperties(1)]
public sealed class MachineHealthCheckStatus : ApiObject, IConditionsStatus
{
    [JsonPropertyName("conditions")]
    [KubeItems(-1, 32), KubeListType("map"), KubeListMapKeys("type")]
    public List<Condition>? Conditions { get; set; }

    [JsonPropertyName("expectedMachines")]
    [KubeMinimum(0)]
    public int? ExpectedMachines { get; set; }

    [JsonPropertyName("currentHealthy")]
    [KubeMinimum(0)]
    public int? CurrentHealthy { get; set; }

    [JsonPropertyName("remediationsAllowed")]
    [KubeMinimum(0)]
    public int? RemediationsAllowed { get; set; }

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(1)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("targets")]
    [KubeItems(-1, 10000), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(253, OnItems = true)]
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
