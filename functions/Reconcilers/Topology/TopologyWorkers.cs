using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>MachineDeployments, their templates and the MachineHealthChecks of a topology.</summary>
public sealed partial class ClusterTopologyReconciler
{
    private async Task ReconcileMachineDeploymentsAsync(TopologyScope s, DesiredTemplates desired, CancellationToken ct)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        // The templates this pass points the MachineDeployments at: the current MachineDeployments read at the start
        // still name the ones they are being rotated away from.
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var topology in s.Topology.Workers?.MachineDeployments ?? [])
        {
            wanted.Add(topology.Name);
            if (desired.MachineDeployments.FirstOrDefault(w => w.TopologyName == topology.Name) is not { } templates) continue; // creation pending
            var mdClass = s.MachineDeploymentClass(topology.Class)!;
            s.CurrentMachineDeployments.TryGetValue(topology.Name, out var current);
            var bootstrapRef = await EnsureTemplateAsync(s, topology.Name, current?.Spec.Template.Spec.Bootstrap.ConfigRef, templates.Bootstrap, ct);
            var infraRef = await EnsureTemplateAsync(s, topology.Name, current?.Spec.Template.Spec.InfrastructureRef, templates.Infrastructure, ct);
            referenced.Add($"{bootstrapRef.Kind}/{bootstrapRef.Name}");
            referenced.Add($"{infraRef.Kind}/{infraRef.Name}");
            var md = DesiredMachineDeployment(s, topology, mdClass, current, templates.Version, bootstrapRef, infraRef);
            if (current is null)
            {
                s.CurrentMachineDeployments[topology.Name] = await kube.CreateAsync(md, ct);
                continue;
            }
            var currentJson = JsonNode.Parse(KubernetesJson.Serialize(current))!.AsObject();
            var desiredJson = JsonNode.Parse(KubernetesJson.Serialize(md))!.AsObject();
            await CreateOrPatchAsync(currentJson, desiredJson, ct);
        }
        foreach (var (name, md) in s.CurrentMachineDeployments.Where(p => !wanted.Contains(p.Key)).ToList())
        {
            if (md.Metadata.DeletionTimestamp is null)
                await kube.DeleteAsync<MachineDeployment>(s.Namespace, md.Metadata.Name, md.Metadata.Uid, ct: ct);
            s.CurrentMachineDeployments.Remove(name);
        }
        await SweepTemplatesAsync(s, referenced, ct);
    }

    /// <summary>The reference to a template of the wanted content: the current one when it still matches, else a new
    /// one (templates are immutable; the MachineDeployment then rolls out to it).</summary>
    private async Task<ContractVersionedObjectReference> EnsureTemplateAsync(TopologyScope s, string topologyName, ContractVersionedObjectReference? currentRef,
        JsonObject desired, CancellationToken ct)
    {
        var kind = TemplateCloning.Text(desired, "kind");
        var group = ContractVersionedObjectReference.GroupOf(TemplateCloning.Text(desired, "apiVersion"));
        if (currentRef is { IsDefined: true } && currentRef.Kind == kind && currentRef.ApiGroup == group
            && await kube.GetAsync(s.Namespace, currentRef, ct) is { } existing && TemplateCloning.Contains(existing["spec"], desired["spec"]))
        {
            return currentRef;
        }
        var labels = new Dictionary<string, string> { [TopologyMetadata.DeploymentNameLabel] = topologyName };
        var template = TemplateCloning.TemplateFrom(desired, TopologyNames.FromPrefix($"{s.ClusterName}-{topologyName}-"), s.ClusterName, labels);
        var created = await CreateAsync(OwnedByCluster(s, template), ct);
        return Ref(created);
    }

    private static MachineDeployment DesiredMachineDeployment(TopologyScope s, MachineDeploymentTopology topology, MachineDeploymentClass mdClass,
        MachineDeployment? current, string version, ContractVersionedObjectReference bootstrapRef, ContractVersionedObjectReference infraRef)
    {
        var name = current?.Metadata.Name
            ?? Render(mdClass.Naming?.Template ?? TopologyNames.DefaultMachineDeploymentTemplate, s, topology.Name, $"MachineDeployment class {mdClass.Class} naming.template");
        var selector = new Dictionary<string, string>
        {
            [CapiLabels.ClusterName] = s.ClusterName,
            [TopologyMetadata.OwnedLabel] = "",
            [TopologyMetadata.DeploymentNameLabel] = topology.Name,
        };
        var labels = Merge(topology.Metadata?.Labels, mdClass.Metadata?.Labels);
        foreach (var (k, v) in selector) labels[k] = v;
        var annotations = Merge(topology.Metadata?.Annotations, mdClass.Metadata?.Annotations);
        var templateLabels = new Dictionary<string, string>(labels) { [CapiLabels.DeploymentName] = name };
        var healthCheckRemediation = topology.HealthCheck?.Remediation ?? mdClass.HealthCheck?.Remediation;
        var deletion = topology.Deletion ?? mdClass.Deletion;
        var strategy = topology.Rollout?.Strategy ?? mdClass.Rollout?.Strategy;
        return new MachineDeployment
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = s.Namespace,
                Labels = labels,
                Annotations = annotations.Count > 0 ? annotations : null,
                OwnerReferences = current?.Metadata.OwnerReferences ?? [OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, s.Cluster.Metadata, controller: false)],
            },
            Spec = new MachineDeploymentSpec
            {
                ClusterName = s.ClusterName,
                Replicas = topology.Replicas ?? current?.Spec.Replicas,
                Selector = new LabelSelector { MatchLabels = selector },
                Rollout = topology.Rollout?.After is null && strategy is null ? null : new MachineDeploymentRolloutSpec { After = topology.Rollout?.After, Strategy = strategy },
                Deletion = deletion?.Order is { } order ? new MachineSetDeletionSpec { Order = order } : null,
                Remediation = healthCheckRemediation?.MaxInFlight is { } inFlight ? new MachineDeploymentRemediationSpec { MaxInFlight = inFlight } : null,
                Template = new MachineTemplateSpec
                {
                    Metadata = new ObjectMeta { Labels = templateLabels, Annotations = annotations.Count > 0 ? annotations : null },
                    Spec = new MachineSpec
                    {
                        ClusterName = s.ClusterName,
                        Version = version,
                        Bootstrap = new MachineBootstrap { ConfigRef = bootstrapRef },
                        InfrastructureRef = infraRef,
                        FailureDomain = topology.FailureDomain ?? mdClass.FailureDomain,
                        MinReadySeconds = topology.MinReadySeconds ?? mdClass.MinReadySeconds,
                        ReadinessGates = topology.ReadinessGates ?? mdClass.ReadinessGates,
                        Taints = topology.Taints ?? mdClass.Taints,
                        Deletion = deletion is null ? null : new MachineDeletionSpec
                        {
                            NodeDrainTimeoutSeconds = deletion.NodeDrainTimeoutSeconds,
                            NodeVolumeDetachTimeoutSeconds = deletion.NodeVolumeDetachTimeoutSeconds,
                            NodeDeletionTimeoutSeconds = deletion.NodeDeletionTimeoutSeconds,
                        },
                    },
                },
            },
        };
    }

    /// <summary>Deletes the MachineDeployment templates of this Cluster that neither a MachineDeployment nor a MachineSet
    /// uses any more (rotated out, or of a removed topology whose MachineSets are gone); <paramref name="referenced"/>
    /// (<c>Kind/name</c>) are in use whatever the MachineDeployments read earlier say.</summary>
    private async Task SweepTemplatesAsync(TopologyScope s, IReadOnlySet<string> referenced, CancellationToken ct)
    {
        var machineSets = await kube.ListAsync<MachineSet>(s.Namespace, $"{CapiLabels.ClusterName}={s.ClusterName}", ct: ct);
        var used = new HashSet<string>(referenced, StringComparer.Ordinal);
        foreach (var spec in s.CurrentMachineDeployments.Values.Select(m => m.Spec.Template.Spec).Concat(machineSets.Select(m => m.Spec.Template.Spec)))
        {
            if (spec.Bootstrap.ConfigRef is { } b) used.Add($"{b.Kind}/{b.Name}");
            used.Add($"{spec.InfrastructureRef.Kind}/{spec.InfrastructureRef.Name}");
        }
        var kinds = s.ClassTemplates.Values.SelectMany(t => new[] { t.Bootstrap, t.Infrastructure })
            .Select(t => (Group: ContractVersionedObjectReference.GroupOf(TemplateCloning.Text(t, "apiVersion")), Kind: TemplateCloning.Text(t, "kind")))
            .Distinct();
        foreach (var (group, kind) in kinds)
        {
            var selector = $"{CapiLabels.ClusterName}={s.ClusterName},{TopologyMetadata.OwnedLabel},{TopologyMetadata.DeploymentNameLabel}";
            foreach (var template in await kube.ListJsonAsync(CapiResources.For(group, kind), s.Namespace, selector, ct))
            {
                if (!used.Contains($"{kind}/{TemplateCloning.Text(template, "metadata", "name")}") && !ExternalObjects.IsDeleting(template))
                    await kube.DeleteAsync(template, ct);
            }
        }
    }

    private async Task ReconcileHealthChecksAsync(TopologyScope s, CancellationToken ct)
    {
        var cpName = TemplateCloning.Text(s.CurrentControlPlane, "metadata", "name");
        var classCp = s.Class.Spec.ControlPlane.HealthCheck;
        var topologyCp = s.Topology.ControlPlane?.HealthCheck;
        var cpEnabled = topologyCp?.Enabled ?? (classCp?.IsDefined == true || topologyCp?.IsDefined == true);
        await ReconcileHealthCheckAsync(s, cpName, cpEnabled,
            new Dictionary<string, string> { [CapiLabels.ClusterName] = s.ClusterName, [CapiLabels.ControlPlane] = "" },
            topologyCp?.Checks ?? classCp?.Checks, topologyCp?.Remediation ?? classCp?.Remediation, ct);
        foreach (var topology in s.Topology.Workers?.MachineDeployments ?? [])
        {
            if (!s.CurrentMachineDeployments.TryGetValue(topology.Name, out var md)) continue;
            var classHc = s.MachineDeploymentClass(topology.Class)?.HealthCheck;
            var enabled = topology.HealthCheck?.Enabled ?? (classHc?.IsDefined == true || topology.HealthCheck?.IsDefined == true);
            var remediation = topology.HealthCheck?.Remediation ?? classHc?.Remediation;
            await ReconcileHealthCheckAsync(s, md.Metadata.Name, enabled, md.Spec.Selector.MatchLabels ?? [],
                topology.HealthCheck?.Checks ?? classHc?.Checks,
                remediation is null ? null : new MachineHealthCheckRemediation { TriggerIf = remediation.TriggerIf, TemplateRef = remediation.TemplateRef }, ct);
        }
        // Health checks of removed MachineDeployments go with them.
        var owned = await kube.ListAsync<MachineHealthCheck>(s.Namespace, $"{CapiLabels.ClusterName}={s.ClusterName},{TopologyMetadata.OwnedLabel}", ct: ct);
        var keep = s.CurrentMachineDeployments.Values.Select(m => m.Metadata.Name).Append(cpName).ToHashSet(StringComparer.Ordinal);
        foreach (var mhc in owned.Where(m => !keep.Contains(m.Metadata.Name)))
            await kube.DeleteAsync<MachineHealthCheck>(s.Namespace, mhc.Metadata.Name, mhc.Metadata.Uid, ct: ct);
    }

    private async Task ReconcileHealthCheckAsync(TopologyScope s, string name, bool enabled, Dictionary<string, string> selector,
        MachineHealthCheckChecks? checks, MachineHealthCheckRemediation? remediation, CancellationToken ct)
    {
        if (name.Length == 0) return;
        var current = await kube.GetAsync<MachineHealthCheck>(s.Namespace, name, ct);
        if (!enabled)
        {
            if (current?.Metadata.Labels?.ContainsKey(TopologyMetadata.OwnedLabel) == true)
                await kube.DeleteAsync<MachineHealthCheck>(s.Namespace, name, current.Metadata.Uid, ct: ct);
            return;
        }
        var desired = new MachineHealthCheck
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = s.Namespace,
                Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = s.ClusterName, [TopologyMetadata.OwnedLabel] = "" },
                OwnerReferences = [OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, s.Cluster.Metadata, controller: false)],
            },
            Spec = new MachineHealthCheckSpec
            {
                ClusterName = s.ClusterName,
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string>(selector) },
                Checks = checks,
                Remediation = remediation,
            },
        };
        if (current is null)
        {
            await kube.CreateAsync(desired, ct);
            return;
        }
        var currentJson = JsonNode.Parse(KubernetesJson.Serialize(current))!.AsObject();
        var desiredJson = JsonNode.Parse(KubernetesJson.Serialize(desired))!.AsObject();
        await CreateOrPatchAsync(currentJson, desiredJson, ct);
    }
}
