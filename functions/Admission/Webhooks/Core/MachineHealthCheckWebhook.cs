using System.Globalization;
using System.Text.RegularExpressions;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's MachineHealthCheck webhooks: cluster-name label and a 600 s node startup timeout; a non-empty
/// selector within the cluster, immutable clusterName, startup timeout of at least 30 s (or 0), and an int or
/// percentage for unhealthyLessThanOrEqualTo.</summary>
public sealed partial class MachineHealthCheckWebhook() : KindWebhook<MachineHealthCheck>(CapiGroups.Core, MachineHealthCheck.KubeKind, "machinehealthchecks")
{
    private const string RangePattern = @"^\[[0-9]+-[0-9]+\]$";

    private static readonly string[] ReservedMachineConditions = ["Ready", "Available", "HealthCheckSucceeded", "OwnerRemediated", "ExternallyRemediated"];

    protected override IReadOnlyList<FieldError> Default(MachineHealthCheck obj, MachineHealthCheck? old, AdmissionContext context)
    {
        obj.Metadata.Labels ??= new Dictionary<string, string>();
        obj.Metadata.Labels[CapiLabels.ClusterName] = obj.Spec.ClusterName;
        var checks = obj.Spec.Checks ??= new MachineHealthCheckChecks();
        checks.NodeStartupTimeoutSeconds ??= CapiDefaults.NodeStartupTimeoutSeconds;
        return [];
    }

    protected override AdmissionVerdict Validate(MachineHealthCheck obj, MachineHealthCheck? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        errors.AddRange(SchemaRules.RequiredText(spec.Child("clusterName"), obj.Spec.ClusterName));
        errors.AddRange(Schema(obj.Spec, spec));
        var selector = obj.Spec.Selector;
        if (LabelRules.SelectorError(selector) is { } selectorError)
            errors.Add(FieldError.Invalid(spec.Child("selector"), selector, selectorError));
        else if (selector.IsEmpty)
            errors.Add(FieldError.Required(spec.Child("selector"), "selector must not be empty"));
        if (selector.MatchLabels?.TryGetValue(CapiLabels.ClusterName, out var clusterName) == true && clusterName != obj.Spec.ClusterName)
            errors.Add(FieldError.Invalid(spec.Child("selector"), selector, "cannot specify a cluster selector other than the one specified by ClusterName"));
        errors.AddRange(CoreRules.ClusterNameImmutable(spec, old?.Spec.ClusterName, obj.Spec.ClusterName));
        if (obj.Spec.Checks?.NodeStartupTimeoutSeconds is { } startup && startup != 0 && startup < 30)
            errors.Add(FieldError.Invalid(spec.Child("checks", "nodeStartupTimeoutSeconds"), startup, "must be at least 30s"));
        errors.AddRange(IntOrPercent.Validate(spec.Child("remediation", "triggerIf", "unhealthyLessThanOrEqualTo"),
            obj.Spec.Remediation?.TriggerIf?.UnhealthyLessThanOrEqualTo));
        errors.AddRange(Range(spec.Child("remediation", "triggerIf", "unhealthyInRange"), obj.Spec.Remediation?.TriggerIf?.UnhealthyInRange));
        return Verdict(obj, errors);
    }

    /// <summary>The schema's bounds on timeouts and condition fields.</summary>
    private static IEnumerable<FieldError> Schema(MachineHealthCheckSpec spec, FieldPath path)
    {
        var checks = path.Child("checks");
        foreach (var e in SchemaRules.Minimum(checks.Child("nodeStartupTimeoutSeconds"), spec.Checks?.NodeStartupTimeoutSeconds, 0))
            yield return e;
        var nodeConditions = spec.Checks?.UnhealthyNodeConditions ?? [];
        for (var i = 0; i < nodeConditions.Count; i++)
        {
            var at = checks.Child("unhealthyNodeConditions").Index(i);
            foreach (var e in SchemaRules.RequiredText(at.Child("type"), nodeConditions[i].Type).Concat(SchemaRules.RequiredText(at.Child("status"), nodeConditions[i].Status)))
                yield return e;
            foreach (var e in SchemaRules.Minimum(at.Child("timeoutSeconds"), nodeConditions[i].TimeoutSeconds, 0))
                yield return e;
        }
        var machineConditions = spec.Checks?.UnhealthyMachineConditions ?? [];
        for (var i = 0; i < machineConditions.Count; i++)
        {
            var at = checks.Child("unhealthyMachineConditions").Index(i);
            var condition = machineConditions[i];
            foreach (var e in SchemaRules.RequiredText(at.Child("type"), condition.Type))
                yield return e;
            if (ReservedMachineConditions.Contains(condition.Type, StringComparer.Ordinal))
                // Worded as kube-apiserver v1.36 words a failed rule on a string field: the value itself is shown.
                yield return FieldError.Invalid(at.Child("type"), condition.Type, "type must not be one of: " + string.Join(", ", ReservedMachineConditions));
            foreach (var e in SchemaRules.Enum(at.Child("status"), condition.Status, ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown))
                yield return e;
            foreach (var e in SchemaRules.Minimum(at.Child("timeoutSeconds"), condition.TimeoutSeconds, 0))
                yield return e;
        }
    }

    /// <summary><c>[min-max]</c> by the schema's pattern; a maximum below the minimum is refused here with the message
    /// CAPI's controller would otherwise report on every health check.</summary>
    private static IEnumerable<FieldError> Range(FieldPath path, string? range)
    {
        if (string.IsNullOrEmpty(range))
            yield break;
        if (!RangeRegex().IsMatch(range))
        {
            yield return FieldError.Invalid(path, range, $"{path} in body should match '{RangePattern}'");
            yield break;
        }
        var parts = range[1..^1].Split('-');
        if (!ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            || !ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            yield return FieldError.Invalid(path, range, "value out of range");
            yield break;
        }
        if (max < min)
            yield return FieldError.Invalid(path, range, $"max value {max} cannot be less than min value {min} for unhealthyRange");
    }

    [GeneratedRegex(RangePattern)]
    private static partial Regex RangeRegex();
}
