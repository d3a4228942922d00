using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>The MachineDrainRules that apply to a Machine, and whether a rule applies to a Pod (CAPI's rule matching:
/// any selector entry may match; within one entry both selectors must match; an absent or empty selector matches all).</summary>
public static class DrainRules
{
    /// <summary>The rules of the Machine's namespace that select it, by name (the first that selects a Pod decides).</summary>
    /// <exception cref="InvalidOperationException">A rule of the namespace has a selector that does not parse; as in
    /// CAPI, the drain then stops rather than guess which Pods that rule meant.</exception>
    public static async Task<IReadOnlyList<MachineDrainRule>> MatchingAsync(KubeApi kube, Api.Machine machine, Api.Cluster? cluster, CancellationToken ct)
    {
        var rules = await kube.ListAsync<MachineDrainRule>(machine.Metadata.NamespaceProperty, ct: ct);
        var invalid = rules.Select(r => (r.Metadata.Name, Problem: SelectorProblem(r))).Where(x => x.Problem is not null).ToList();
        if (invalid.Count > 0)
            throw new InvalidOperationException("failed to get matching MachineDrainRules: " +
                string.Join("; ", invalid.Select(x => $"invalid selectors in MachineDrainRule {x.Name}: {x.Problem}")));
        return rules.Where(r => AppliesToMachine(r, machine.Metadata.Labels, cluster?.Metadata.Labels))
            .OrderBy(r => r.Metadata.Name, StringComparer.Ordinal).ToList();
    }

    public static bool AppliesToMachine(MachineDrainRule rule, IDictionary<string, string>? machineLabels, IDictionary<string, string>? clusterLabels) =>
        rule.Spec.Machines is not { Count: > 0 } selectors
        || selectors.Any(s => Matches(s.Selector, machineLabels) && Matches(s.ClusterSelector, clusterLabels));

    public static bool AppliesToPod(MachineDrainRule rule, IDictionary<string, string>? podLabels, IDictionary<string, string>? namespaceLabels) =>
        rule.Spec.Pods is not { Count: > 0 } selectors
        || selectors.Any(s => Matches(s.Selector, podLabels) && Matches(s.NamespaceSelector, namespaceLabels));

    private static bool Matches(LabelSelector? selector, IDictionary<string, string>? labels) =>
        selector is null || selector.IsEmpty || selector.Matches(labels?.AsReadOnly() ?? new Dictionary<string, string>().AsReadOnly());

    /// <summary>Why one of the rule's selectors is not a label selector (an unknown operator, or values where the
    /// operator takes none or none where it needs some); null when all parse.</summary>
    public static string? SelectorProblem(MachineDrainRule rule)
    {
        var selectors = (rule.Spec.Machines ?? []).SelectMany(m => new[] { m.Selector, m.ClusterSelector })
            .Concat((rule.Spec.Pods ?? []).SelectMany(p => new[] { p.Selector, p.NamespaceSelector }));
        foreach (var requirement in selectors.OfType<LabelSelector>().SelectMany(s => s.MatchExpressions ?? []))
        {
            var count = requirement.Values?.Count ?? 0;
            switch (requirement.Operator)
            {
                case LabelSelectorRequirement.In or LabelSelectorRequirement.NotIn when count == 0:
                    return $"key {requirement.Key}: values set can't be empty for operator {requirement.Operator}";
                case LabelSelectorRequirement.Exists or LabelSelectorRequirement.DoesNotExist when count > 0:
                    return $"key {requirement.Key}: values set must be empty for operator {requirement.Operator}";
                case LabelSelectorRequirement.In or LabelSelectorRequirement.NotIn or LabelSelectorRequirement.Exists or LabelSelectorRequirement.DoesNotExist:
                    break;
                default:
                    return $"key {requirement.Key}: \"{requirement.Operator}\" is not a valid label selector operator";
            }
        }
        return null;
    }
}
