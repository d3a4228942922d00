using System.Globalization;
using k8s;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.MachineDeployments;

/// <summary>The MachineSet a deployment wants: for its current template a new set, or an existing set with the
/// deployment's in-place fields, labels, annotations and replicas carried over (pure).</summary>
public static class DesiredMachineSet
{
    /// <summary>Annotations of the deployment that are not copied to its sets.</summary>
    public static readonly IReadOnlySet<string> NotCopied = new HashSet<string>(StringComparer.Ordinal)
    {
        "kubectl.kubernetes.io/last-applied-configuration",
        CapiAnnotations.Revision,
        "machinedeployment.clusters.x-k8s.io/revision-history",
        CapiAnnotations.DesiredReplicas,
        CapiAnnotations.MaxReplicas,
        "cluster.x-k8s.io/conversion-data",
    };

    /// <summary>A new set for the deployment's template, controlled by the deployment.</summary>
    public static MachineSet New(MachineDeployment md, string name, string hash, int replicas, string revision, int maxSurge)
    {
        var ms = new MachineSet
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = md.Metadata.NamespaceProperty,
                OwnerReferences = [OwnerReferences.For(CapiGroups.CoreApiVersion, MachineDeployment.KubeKind, md.Metadata, controller: true)],
            },
            Spec = new MachineSetSpec
            {
                ClusterName = md.Spec.ClusterName,
                Template = new MachineTemplateSpec { Spec = KubernetesJson.Deserialize<MachineSpec>(KubernetesJson.Serialize(md.Spec.Template.Spec)) },
            },
        };
        Apply(md, ms, hash, replicas, revision, disableMachineCreate: false, maxSurge);
        return ms;
    }

    /// <summary>Brings an existing set in line with the deployment (in place; the caller diffs and patches).</summary>
    public static void Update(MachineDeployment md, MachineSet ms, int replicas, string? revision, bool disableMachineCreate, int maxSurge)
    {
        var hash = ms.Metadata.Labels?.TryGetValue(CapiLabels.MachineDeploymentUnique, out var h) == true ? h : null;
        Apply(md, ms, hash, replicas, revision, disableMachineCreate, maxSurge);
    }

    private static void Apply(MachineDeployment md, MachineSet ms, string? hash, int replicas, string? revision, bool disableMachineCreate, int maxSurge)
    {
        var labels = ms.Metadata.Labels ??= new Dictionary<string, string>();
        foreach (var (k, v) in md.Spec.Template.Metadata?.Labels ?? []) labels[k] = v;
        if (hash is not null) labels[CapiLabels.MachineDeploymentUnique] = hash;
        labels[CapiLabels.DeploymentName] = md.Metadata.Name;

        var annotations = ms.Metadata.Annotations ??= new Dictionary<string, string>();
        foreach (var (k, v) in md.Metadata.Annotations ?? new Dictionary<string, string>())
        {
            if (!NotCopied.Contains(k)) annotations[k] = v;
        }
        var desired = md.Spec.Replicas ?? 0;
        annotations[CapiAnnotations.DesiredReplicas] = desired.ToString(CultureInfo.InvariantCulture);
        annotations[CapiAnnotations.MaxReplicas] = (desired + maxSurge).ToString(CultureInfo.InvariantCulture);
        if (revision is not null) annotations[CapiAnnotations.Revision] = revision;
        annotations[CapiAnnotations.DisableMachineCreate] = disableMachineCreate ? "true" : "false";

        var spec = ms.Spec;
        spec.Replicas = replicas;
        spec.ClusterName = md.Spec.ClusterName;
        var selector = spec.Selector;
        selector.MatchLabels ??= [];
        foreach (var (k, v) in md.Spec.Selector.MatchLabels ?? []) selector.MatchLabels[k] = v;
        if (md.Spec.Selector.MatchExpressions is { Count: > 0 } expressions)
            selector.MatchExpressions = KubernetesJson.Deserialize<List<LabelSelectorRequirement>>(KubernetesJson.Serialize(expressions));
        if (hash is not null) selector.MatchLabels[CapiLabels.MachineDeploymentUnique] = hash;

        var template = spec.Template.Metadata ??= new ObjectMeta();
        template.Labels ??= [];
        foreach (var (k, v) in md.Spec.Template.Metadata?.Labels ?? []) template.Labels[k] = v;
        if (hash is not null) template.Labels[CapiLabels.MachineDeploymentUnique] = hash;
        if (md.Spec.Template.Metadata?.Annotations is { Count: > 0 } templateAnnotations)
        {
            template.Annotations ??= [];
            foreach (var (k, v) in templateAnnotations) template.Annotations[k] = v;
        }

        if (md.Spec.Deletion?.Order is { } order) (spec.Deletion ??= new MachineSetDeletionSpec()).Order = order;
        spec.MachineNaming = md.Spec.MachineNaming;
        var from = md.Spec.Template.Spec;
        var to = spec.Template.Spec;
        to.MinReadySeconds = from.MinReadySeconds;
        to.ReadinessGates = from.ReadinessGates;
        to.Taints = from.Taints;
        if (from.Deletion is not null || to.Deletion is not null)
        {
            to.Deletion ??= new MachineDeletionSpec();
            to.Deletion.NodeDrainTimeoutSeconds = from.Deletion?.NodeDrainTimeoutSeconds;
            to.Deletion.NodeVolumeDetachTimeoutSeconds = from.Deletion?.NodeVolumeDetachTimeoutSeconds;
            to.Deletion.NodeDeletionTimeoutSeconds = from.Deletion?.NodeDeletionTimeoutSeconds;
            // An empty deletion object is refused by the CRD (minProperties); none means the same.
            if (to.Deletion is { NodeDrainTimeoutSeconds: null, NodeVolumeDetachTimeoutSeconds: null, NodeDeletionTimeoutSeconds: null, AdditionalProperties: null or { Count: 0 } })
                to.Deletion = null;
        }
    }

    /// <summary>The revision number of a set (0 when it has none).</summary>
    public static long Revision(MachineSet ms) =>
        ms.Metadata.Annotations?.TryGetValue(CapiAnnotations.Revision, out var text) == true
        && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : 0;

    /// <summary>The revision of the set carrying the template: one above every old set's, never lowered.</summary>
    public static string NextRevision(MachineSet? current, IEnumerable<MachineSet> old)
    {
        var next = old.Select(Revision).DefaultIfEmpty(0).Max() + 1;
        if (current is not null && Revision(current) > next) next = Revision(current);
        return next.ToString(CultureInfo.InvariantCulture);
    }
}
