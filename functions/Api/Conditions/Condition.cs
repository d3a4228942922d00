using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>A v1beta2 condition (the shape of metav1.Condition).</summary>
public sealed class Condition : ApiObject
{
    [JsonPropertyName("type"), KubeRequired]
    [KubeMaxLength(316), KubePattern(KubePatterns.ConditionType)]
    public string Type { get; set; } = "";

    [JsonPropertyName("status"), KubeRequired, KubeEnum(ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown)]
    public string Status { get; set; } = ConditionStatus.Unknown;

    [JsonPropertyName("observedGeneration")]
    [KubeMinimum(0)]
    public long? ObservedGeneration { get; set; }

    [JsonPropertyName("lastTransitionTime"), KubeRequired]
    public DateTime LastTransitionTime { get; set; }

    [JsonPropertyName("reason"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(1024), KubePattern(KubePatterns.ConditionReason)]
    public string Reason { get; set; } = "";

    [JsonPropertyName("message"), KubeRequired]
    [KubeMaxLength(32768)]
    public string Message { get; set; } = "";

    public override string ToString() => $"{Type}={Status} ({Reason}) {Message}";
}

/// <summary>A v1beta1 condition, kept under <c>status.deprecated.v1beta1.conditions</c>.</summary>
public sealed class V1Beta1Condition : ApiObject
{
    [JsonPropertyName("type"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Type { get; set; } = "";

    [JsonPropertyName("status"), KubeRequired]
    public string Status { get; set; } = ConditionStatus.Unknown;

    [JsonPropertyName("severity")]
    [KubeMaxLength(32)]
    public string? Severity { get; set; }

    [JsonPropertyName("lastTransitionTime"), KubeRequired]
    public DateTime LastTransitionTime { get; set; }

    [JsonPropertyName("reason")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Reason { get; set; }

    [JsonPropertyName("message")]
    [KubeMinLength(1), KubeMaxLength(10240)]
    public string? Message { get; set; }
}

/// <summary>Values of <see cref="Condition.Status"/>.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";

    public static string Of(bool value) => value ? True : False;
}

/// <summary>Values of <see cref="V1Beta1Condition.Severity"/>.</summary>
public static class ConditionSeverity
{
    public const string Error = "Error";
    public const string Warning = "Warning";
    public const string Info = "Info";
    public const string None = "";
}

/// <summary>A status that carries v1beta2 conditions.</summary>
public interface IConditionsStatus
{
    List<Condition>? Conditions { get; set; }
}
