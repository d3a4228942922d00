using System.Globalization;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>Checks CAPI's core webhooks share.</summary>
internal static class CoreRules
{
    public const string SkipPreflightChecksAnnotation = "machineset.cluster.x-k8s.io/skip-preflight-checks";

    private static readonly string[] PreflightChecks =
        ["All", "ControlPlaneIsStable", "ControlPlaneVersionSkew", "KubeadmVersionSkew", "KubernetesVersionSkew"];

    public static bool HasBootstrap(MachineBootstrap? bootstrap) =>
        bootstrap is not null && (bootstrap.DataSecretName is not null || IsDefined(bootstrap.ConfigRef));

    public static bool IsDefined(ContractVersionedObjectReference? reference) =>
        reference is not null && (reference.ApiGroup.Length > 0 || reference.Kind.Length > 0 || reference.Name.Length > 0);

    public static IEnumerable<FieldError> ClusterNameImmutable(FieldPath spec, string? oldName, string newName)
    {
        if (oldName is not null && oldName != newName)
            yield return FieldError.Forbidden(spec.Child("clusterName"), "field is immutable");
    }

    public static IEnumerable<FieldError> ClusterNameMatchesTemplate(FieldPath spec, string clusterName, string templateClusterName)
    {
        if (clusterName != templateClusterName)
            yield return FieldError.Invalid(spec.Child("clusterName"), clusterName, "spec.clusterName and spec.template.spec.clusterName must be set to the same value");
    }

    public static IEnumerable<FieldError> SkippedPreflightChecks(IDictionary<string, string>? annotations, AdmissionContext context)
    {
        if (!context.Options.MachineSetPreflightChecks || annotations is null
            || !annotations.TryGetValue(SkipPreflightChecksAnnotation, out var skip) || skip.Length == 0)
            yield break;
        var invalid = skip.Split(',').Select(s => s.Trim()).Where(s => !PreflightChecks.Contains(s, StringComparer.Ordinal)).ToList();
        if (invalid.Count > 0)
        {
            yield return FieldError.Invalid(FieldPath.Root("metadata", "annotations", SkipPreflightChecksAnnotation), invalid,
                $"skipped preflight check(s) must be among: [{string.Join(" ", PreflightChecks)}]");
        }
    }

    public static IEnumerable<FieldError> MachineNaming(MachineNamingSpec? naming, FieldPath path)
    {
        if (naming?.Template is { Length: > 0 } template && !template.Contains("{{ .random }}", StringComparison.Ordinal))
            yield return FieldError.Invalid(path.Child("template"), template, "invalid template, {{ .random }} is missing");
    }

    /// <summary>MachineSets and MachineDeployments may not ask for fewer than zero Machines (as apps/v1 Deployments
    /// may not); CAPI's schema leaves this open and its controllers treat it as an error.</summary>
    public static IEnumerable<FieldError> NonNegativeReplicas(FieldPath spec, int? replicas)
    {
        if (replicas is < 0)
            yield return FieldError.Invalid(spec.Child("replicas"), replicas.Value, "must be greater than or equal to 0");
    }

    public static IEnumerable<FieldError> DeletionOrder(FieldPath spec, MachineSetDeletionSpec? deletion) =>
        SchemaRules.Enum(spec.Child("deletion", "order"), deletion?.Order,
            MachineSetDeletionOrder.Random, MachineSetDeletionOrder.Newest, MachineSetDeletionOrder.Oldest);

    /// <summary>Refuses replicas defaulting when the autoscaler annotations do not parse, with CAPI's message.</summary>
    public static void CheckAutoscalerAnnotations(string kind, int? replicas, IDictionary<string, string>? annotations)
    {
        if (replicas is not null || annotations is null
            || !annotations.TryGetValue(CapiAnnotations.AutoscalerMinSize, out var min)
            || !annotations.TryGetValue(CapiAnnotations.AutoscalerMaxSize, out var max))
            return;
        foreach (var (key, value) in new[] { (CapiAnnotations.AutoscalerMinSize, min), (CapiAnnotations.AutoscalerMaxSize, max) })
        {
            if (!int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            {
                throw new AdmissionDeniedException(
                    $"failed to caculate {kind} replicas value: could not parse the value of the \"{key}\" annotation: strconv.ParseInt: parsing \"{value}\": invalid syntax");
            }
        }
    }
}
