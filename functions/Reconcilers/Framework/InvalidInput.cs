using System.Text.RegularExpressions;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>Something in an object's spec that no retry can make work.</summary>
/// <param name="Reason">The condition reason, naming the problem (CamelCase).</param>
/// <param name="Message">What is wrong and where, for the user.</param>
public sealed record InputProblem(string Reason, string Message);

/// <summary>Input that admission would have refused but that reached us anyway (a management cluster without the
/// webhooks, an object written before they were installed): reconcilers never act on it. They report it as the
/// <see cref="ConditionType"/> condition (False, with a reason naming the problem), log it once per reconcile, and stop
/// with <see cref="ReconcileResult.Terminal"/> until the object changes, instead of throwing into a retry loop or acting
/// on a guess.</summary>
public static partial class InvalidInput
{
    /// <summary>Present (False) only while the spec holds something we refuse to act on.</summary>
    public const string ConditionType = "SpecValid";

    public const string InvalidVersion = "InvalidVersion";
    public const string NegativeReplicas = "NegativeReplicas";
    public const string SelectorDoesNotMatchTemplate = "SelectorDoesNotMatchTemplate";
    public const string ClusterNameMissing = "ClusterNameMissing";
    public const string InvalidOwnerReference = "InvalidOwnerReference";

    /// <summary>Sets the condition, logs, and returns the terminal result that parks the object until its next change.</summary>
    public static ReconcileResult Report(ILogger logger, string kind, V1ObjectMeta meta, IConditionsStatus status, InputProblem problem, DateTimeOffset now)
    {
        Conditions.Set(status, ConditionType, ConditionStatus.False, problem.Reason, problem.Message, meta.Generation, now.UtcDateTime);
        logger.LogWarning("{Kind} {Namespace}/{Name} not reconciled: {Reason}: {Message}", kind, meta.NamespaceProperty, meta.Name, problem.Reason, problem.Message);
        return ReconcileResult.Terminal($"{problem.Reason}: {problem.Message}");
    }

    /// <summary>Drops the condition once the spec is valid again.</summary>
    public static void Clear(IConditionsStatus status) => Conditions.Remove(status, ConditionType);

    /// <summary>The first problem of a list of checks, or null.</summary>
    public static InputProblem? First(params InputProblem?[] problems) => problems.FirstOrDefault(p => p is not null);

    /// <summary>A Kubernetes version must be a semantic version, with or without a leading "v" (as CAPI's webhooks
    /// accept it); anything else (<c>banana</c>) would be rolled out as a version no image exists for.</summary>
    public static InputProblem? Version(string field, string? version)
    {
        if (version is null) return null;
        return SemverPattern().IsMatch(version)
            ? null
            : new InputProblem(InvalidVersion, $"{field} \"{Truncate(version)}\" is not a semantic version (e.g. v1.33.0)");
    }

    public static InputProblem? Replicas(string field, int? replicas) =>
        replicas is < 0 ? new InputProblem(NegativeReplicas, $"{field} is {replicas}; it must not be negative") : null;

    /// <summary>Every Cluster API object belongs to a Cluster by name; without one there is no owner to reference.</summary>
    public static InputProblem? ClusterName(string field, string? clusterName) =>
        string.IsNullOrEmpty(clusterName) ? new InputProblem(ClusterNameMissing, $"{field} is empty; it must name the Cluster") : null;

    /// <summary>The selector must select what the template stamps out: otherwise the owner never finds what it created,
    /// and counting by the selector would create without end.</summary>
    public static InputProblem? Selector(string field, LabelSelector selector, IReadOnlyDictionary<string, string> templateLabels) =>
        selector.Matches(templateLabels)
            ? null
            : new InputProblem(SelectorDoesNotMatchTemplate, $"{field} {selector} does not match the labels of spec.template.metadata.labels");

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex(@"^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$")]
    private static partial Regex SemverPattern();
}
