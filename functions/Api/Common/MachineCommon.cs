using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>An address of a machine (<c>status.addresses[]</c>).</summary>
public sealed class MachineAddress : ApiObject
{
    public const string Hostname = "Hostname";
    public const string ExternalIP = "ExternalIP";
    public const string InternalIP = "InternalIP";
    public const string ExternalDNS = "ExternalDNS";
    public const string InternalDNS = "InternalDNS";

    [JsonPropertyName("type"), KubeRequired, KubeEnum(Hostname, ExternalIP, InternalIP, ExternalDNS, InternalDNS)]
    public string Type { get; set; } = InternalIP;

    [JsonPropertyName("address"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Address { get; set; } = "";
}

/// <summary>A taint CAPI keeps on the Node of a Machine.</summary>
public sealed class MachineTaint : ApiObject
{
    [JsonPropertyName("key"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(317), KubePattern(KubePatterns.LabelKey)]
    public string Key { get; set; } = "";

    [JsonPropertyName("value")]
    [KubeMinLength(1), KubeMaxLength(63), KubePattern(KubePatterns.LabelValue)]
    public string? Value { get; set; }

    [JsonPropertyName("effect"), KubeRequired, KubeEnum("NoSchedule", "PreferNoSchedule", "NoExecute")]
    public string Effect { get; set; } = "NoSchedule";

    [JsonPropertyName("propagation"), KubeRequired, KubeEnum("Always", "OnInitialization")]
    public string Propagation { get; set; } = "Always";
}

/// <summary>An extra condition a Machine (or Cluster, as availability gate) must satisfy to be ready.</summary>
public sealed class ConditionGate : ApiObject
{
    [JsonPropertyName("conditionType"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(316), KubePattern(KubePatterns.ConditionType)]
    public string ConditionType { get; set; } = "";

    [JsonPropertyName("polarity"), KubeEnum(ConditionPolarity.Positive, ConditionPolarity.Negative)]
    public string? Polarity { get; set; }
}

/// <summary>Values of <see cref="ConditionGate.Polarity"/>.</summary>
public static class ConditionPolarity
{
    public const string Positive = "Positive";
    public const string Negative = "Negative";
}

/// <summary>A failure domain reported by the infrastructure cluster.</summary>
public sealed class FailureDomain : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Name { get; set; } = "";

    [JsonPropertyName("controlPlane")]
    public bool? ControlPlane { get; set; }

    [JsonPropertyName("attributes")]
    public Dictionary<string, string>? Attributes { get; set; }
}

/// <summary>Host and port of an API server endpoint.</summary>
[KubeProperties(1)]
public sealed class ApiEndpoint : ApiObject
{
    [JsonPropertyName("host")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? Host { get; set; }

    [JsonPropertyName("port")]
    [KubeMinimum(1), KubeMaximum(65535)]
    public int? Port { get; set; }

    [JsonIgnore]
    public bool IsValid => !string.IsNullOrEmpty(Host) && Port is > 0;

    public override string ToString() => $"{Host}:{Port}";
}

/// <summary>How many replicas run one Kubernetes version (<c>status.versions[]</c>).</summary>
public sealed class StatusVersion : ApiObject
{
    [JsonPropertyName("version"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Version { get; set; } = "";

    [JsonPropertyName("replicas")]
    [KubeMinimum(1)]
    public int? Replicas { get; set; }
}

/// <summary>Timeouts used while a Machine is deleted.</summary>
[KubeProperties(1)]
public sealed class MachineDeletionSpec : ApiObject
{
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

/// <summary>The name template for Machines created by a MachineSet, MachineDeployment or control plane.</summary>
[KubeProperties(1)]
public sealed class MachineNamingSpec : ApiObject
{
    [JsonPropertyName("template")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Template { get; set; }
}
