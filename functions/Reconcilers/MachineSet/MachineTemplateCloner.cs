using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.ControlPlane;
using ServerlessCapi.Providers.Ownership;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>Builds what a MachineSet creates for one replica: the Machine and the objects cloned from the
/// templates its template references (bootstrap config, infrastructure machine), all named like the Machine.
/// Pure: no I/O.</summary>
public static class MachineTemplateCloner
{
    public const string TemplateSuffix = "Template";

    /// <summary>The labels every Machine of the set carries: the template's, plus set-name and, for a set of a
    /// MachineDeployment, deployment-name.</summary>
    public static Dictionary<string, string> MachineLabels(MachineSet ms)
    {
        var labels = new Dictionary<string, string>(ms.Spec.Template.Metadata?.Labels ?? [], StringComparer.Ordinal)
        {
            [CapiLabels.SetName] = LabelValues.Format(ms.Metadata.Name),
        };
        if (ms.Metadata.Labels?.TryGetValue(CapiLabels.DeploymentName, out var md) == true)
            labels[CapiLabels.DeploymentName] = md;
        labels[CapiLabels.ClusterName] = ms.Spec.ClusterName;
        return labels;
    }

    public static Dictionary<string, string> MachineAnnotations(MachineSet ms) =>
        new(ms.Spec.Template.Metadata?.Annotations ?? [], StringComparer.Ordinal);

    /// <summary>The Machine named <paramref name="name"/>, controlled by the set, referencing clones named alike.</summary>
    public static Api.Machine DesiredMachine(MachineSet ms, string name)
    {
        // A deep copy through JSON keeps fields this version of the types does not know.
        var spec = KubernetesJson.Deserialize<MachineSpec>(KubernetesJson.Serialize(ms.Spec.Template.Spec));
        spec.ClusterName = ms.Spec.ClusterName;
        spec.InfrastructureRef = CloneReference(ms.Spec.Template.Spec.InfrastructureRef, name);
        if (ms.Spec.Template.Spec.Bootstrap.ConfigRef is { IsDefined: true } configRef)
            spec.Bootstrap.ConfigRef = CloneReference(configRef, name);
        spec.ProviderId = null;
        return new Api.Machine
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ms.Metadata.NamespaceProperty,
                Labels = MachineLabels(ms),
                Annotations = MachineAnnotations(ms) is { Count: > 0 } a ? a : null,
                Finalizers = [CapiFinalizers.Machine],
                OwnerReferences = [OwnerReferences.For(CapiGroups.CoreApiVersion, MachineSet.KubeKind, ms.Metadata, controller: true)],
            },
            Spec = spec,
        };
    }

    /// <summary>A reference to the clone of the template <paramref name="template"/> refers to.</summary>
    public static ContractVersionedObjectReference CloneReference(ContractVersionedObjectReference template, string name) => new()
    {
        ApiGroup = template.ApiGroup,
        Kind = KindOfClone(template.Kind),
        Name = name,
    };

    public static string KindOfClone(string templateKind) =>
        templateKind.EndsWith(TemplateSuffix, StringComparison.Ordinal) ? templateKind[..^TemplateSuffix.Length] : templateKind;

    /// <summary>The object stamped out of <paramref name="template"/> (a <c>XxxTemplate</c> with
    /// <c>spec.template.{metadata,spec}</c>) for the Machine <paramref name="name"/>. The MachineSet owns it
    /// until the Machine takes over as its controller; the clone records where it came from.</summary>
    public static JsonObject Clone(JsonObject template, MachineSet ms, string name)
    {
        var apiVersion = ExternalObjects.Text(template, "apiVersion") ?? "";
        var templateKind = ExternalObjects.Text(template, "kind") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var source = template["spec"]?["template"];

        var labels = new JsonObject();
        foreach (var (k, v) in source?["metadata"]?["labels"] as JsonObject ?? []) labels[k] = v?.DeepClone();
        foreach (var (k, v) in MachineLabels(ms)) labels[k] = v;
        var annotations = new JsonObject();
        foreach (var (k, v) in source?["metadata"]?["annotations"] as JsonObject ?? []) annotations[k] = v?.DeepClone();
        annotations[CapiAnnotations.ClonedFromName] = ExternalObjects.Text(template, "metadata", "name");
        annotations[CapiAnnotations.ClonedFromGroupKind] = group.Length == 0 ? templateKind : $"{templateKind}.{group}";

        var owner = OwnerReferences.For(CapiGroups.CoreApiVersion, MachineSet.KubeKind, ms.Metadata, controller: false);
        var clone = new JsonObject
        {
            ["apiVersion"] = apiVersion,
            ["kind"] = KindOfClone(templateKind),
            ["metadata"] = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = ms.Metadata.NamespaceProperty,
                ["labels"] = labels,
                ["annotations"] = annotations,
                ["ownerReferences"] = new JsonArray(OwnerRefs.ToJson(owner)),
            },
        };
        if (ControlPlaneObjects.NonEmpty(source?["spec"]) is { } spec) clone["spec"] = spec;
        return clone;
    }
}
