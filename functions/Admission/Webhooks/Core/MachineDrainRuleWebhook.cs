using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Admission;

/// <summary>CAPI's MachineDrainRule webhook (validating only): an order only with behavior Drain, and every Machine,
/// Cluster, Pod and Namespace selector must be a valid label selector; the schema's behavior enum and unique entries are
/// checked too, worded as the API server words them.</summary>
public sealed class MachineDrainRuleWebhook() : KindWebhook<MachineDrainRule>(CapiGroups.Core, MachineDrainRule.KubeKind, "machinedrainrules")
{
    public override bool Mutates => false;

    protected override AdmissionVerdict Validate(MachineDrainRule obj, MachineDrainRule? old, AdmissionContext context)
    {
        var spec = FieldPath.Root("spec");
        var errors = new List<FieldError>();
        errors.AddRange(SchemaRules.RequiredText(spec.Child("drain", "behavior"), obj.Spec.Drain.Behavior));
        errors.AddRange(SchemaRules.Enum(spec.Child("drain", "behavior"), obj.Spec.Drain.Behavior,
            MachineDrainBehavior.Drain, MachineDrainBehavior.Skip, MachineDrainBehavior.WaitCompleted));
        errors.AddRange(Unique(spec.Child("machines"), obj.Spec.Machines, "entries in machines must be unique"));
        errors.AddRange(Unique(spec.Child("pods"), obj.Spec.Pods, "entries in pods must be unique"));
        if (obj.Spec.Drain.Behavior is MachineDrainBehavior.Skip or MachineDrainBehavior.WaitCompleted && obj.Spec.Drain.Order is { } order)
        {
            errors.Add(FieldError.Invalid(spec.Child("drain", "order"), order,
                $"order must not be set if drain behavior is \"{MachineDrainBehavior.Skip}\" or \"{MachineDrainBehavior.WaitCompleted}\""));
        }
        errors.AddRange(SelectorErrors(obj));
        return Verdict(obj, errors);
    }

    /// <summary>The selectors that do not parse; the drain checks them again, since a rule may predate the webhook.</summary>
    public static IEnumerable<FieldError> SelectorErrors(MachineDrainRule rule)
    {
        var spec = FieldPath.Root("spec");
        var machines = rule.Spec.Machines ?? [];
        for (var i = 0; i < machines.Count; i++)
        {
            foreach (var e in Check(spec.Child("machines").Index(i), ("selector", machines[i].Selector), ("clusterSelector", machines[i].ClusterSelector)))
                yield return e;
        }
        var pods = rule.Spec.Pods ?? [];
        for (var i = 0; i < pods.Count; i++)
        {
            foreach (var e in Check(spec.Child("pods").Index(i), ("selector", pods[i].Selector), ("namespaceSelector", pods[i].NamespaceSelector)))
                yield return e;
        }
    }

    /// <summary>The CRD's CEL rule that no two entries are equal; a failed rule on a list shows no value.</summary>
    private static IEnumerable<FieldError> Unique<T>(FieldPath path, List<T>? entries, string message)
    {
        var seen = new List<JsonNode?>();
        foreach (var entry in entries ?? [])
        {
            var node = JsonSerializer.SerializeToNode(entry, Manifests.JsonOptions);
            if (seen.Any(s => JsonNode.DeepEquals(s, node)))
            {
                yield return new FieldError(FieldErrorType.Invalid, path.ToString(), null, message, HasValue: false);
                yield break;
            }
            seen.Add(node);
        }
    }

    private static IEnumerable<FieldError> Check(FieldPath at, params (string Field, LabelSelector? Selector)[] selectors)
    {
        foreach (var (field, selector) in selectors)
        {
            if (selector is not null && LabelRules.SelectorError(selector) is { } error)
                yield return FieldError.Invalid(at.Child(field), selector, error);
        }
    }
}
