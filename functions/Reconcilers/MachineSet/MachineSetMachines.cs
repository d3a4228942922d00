using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Rollout;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>The Machines of a set: finding and adopting them, keeping in-place fields in step, and creating or
/// deleting them to match the replicas.</summary>
public sealed partial class MachineSetReconciler
{
    /// <summary>The Machines the set controls (controller owner reference to its uid), whatever their labels say, plus
    /// orphans matching the selector, which are adopted like CAPI does. Counting by the selector alone is how a set whose
    /// Machines stopped matching it (relabelled, or a selector that never matched the template) creates without end:
    /// what it created is what it counts. Machines being deleted still count: they are replicas until gone.</summary>
    /// <remarks>Listed by the cluster-name label, which every Machine of the cluster carries (the Machine reconciler puts
    /// it back when it is removed), so the list stays one cluster's Machines.</remarks>
    private async Task<ReconcileResult> ListAndAdoptMachinesAsync(MachineSetScope s, CancellationToken ct)
    {
        var ms = s.Set;
        var candidates = await Kube.ListAsync<Api.Machine>(s.Namespace, $"{CapiLabels.ClusterName}={ms.Spec.ClusterName}", ct: ct);
        var owned = new List<Api.Machine>();
        foreach (var machine in candidates)
        {
            var controller = MachineFacts.ControllerUid(machine.Metadata);
            if (controller == ms.Metadata.Uid)
            {
                owned.Add(machine);
                continue;
            }
            if (controller is not null || !ms.Spec.Selector.Matches(machine.Metadata.Labels?.AsReadOnly())) continue;
            if (await AdoptAsync(ms, machine, ct) is not { } adopted) continue;
            Logger.LogInformation("MachineSet {Namespace}/{Name} adopted Machine {Machine}", s.Namespace, ms.Metadata.Name, machine.Metadata.Name);
            await MachineAdoptedAsync(ms, machine.Metadata.Name, ct);
            owned.Add(adopted);
        }
        s.Machines = owned;
        return ReconcileResult.Done();
    }

    private async Task<Api.Machine?> AdoptAsync(MachineSet ms, Api.Machine machine, CancellationToken ct)
    {
        var owners = new JsonArray();
        foreach (var o in machine.Metadata.OwnerReferences ?? [])
            owners.Add(JsonNode.Parse(k8s.KubernetesJson.Serialize(o)));
        var reference = OwnerReferences.For(CapiGroups.CoreApiVersion, MachineSet.KubeKind, ms.Metadata, controller: true);
        owners.Add(JsonNode.Parse(k8s.KubernetesJson.Serialize(reference)));
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = machine.Metadata.ResourceVersion, ["ownerReferences"] = owners },
        };
        try
        {
            return await Kube.MergePatchAsync<Api.Machine>(machine.Metadata.NamespaceProperty, machine.Metadata.Name, patch, ct: ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null; // Gone meanwhile: not a replica.
        }
        // A conflict (the Machine changed meanwhile) propagates: the step must not go on to count replicas without
        // this Machine and create one too many; it is retried on fresh state.
    }

    /// <summary>Keeps the labels, annotations and in-place mutable fields of the Machines in step with the
    /// template (changing them needs no new Machine).</summary>
    /// <summary>The UpToDate condition of each Machine of a MachineDeployment's set: set here, as CAPI's MachineSet
    /// controller does, because only the set knows the deployment's desired template. Written only on change.</summary>
    private async Task<ReconcileResult> SetMachinesUpToDateAsync(MachineSetScope s, CancellationToken ct)
    {
        if (s.Deployment is null || s.Machines is null) return ReconcileResult.Done();
        for (var i = 0; i < s.Machines.Count; i++)
        {
            var m = s.Machines[i];
            if (m.Metadata.DeletionTimestamp is not null) continue;
            var wanted = MachineUpToDate.Compute(m, s.Set, s.Deployment, s.UtcNow);
            var written = await MachineConditionPatch.ApplyAsync(Kube, m, [wanted], [], s.UtcNow, ct);
            // A conflict: the Machine changed meanwhile, and that change wakes this set again.
            if (written is not null) s.Machines[i] = written;
        }
        return ReconcileResult.Done();
    }

    private async Task<ReconcileResult> SyncMachinesAsync(MachineSetScope s, CancellationToken ct)
    {
        var ms = s.Set;
        var labels = MachineTemplateCloner.MachineLabels(ms);
        var annotations = MachineTemplateCloner.MachineAnnotations(ms);
        var template = ms.Spec.Template.Spec;
        for (var i = 0; i < s.Machines!.Count; i++)
        {
            var m = s.Machines[i];
            if (MachineFacts.IsDeleting(m)) continue;
            var metadata = new JsonObject();
            var labelPatch = MissingEntries(m.Metadata.Labels, labels);
            var annotationPatch = MissingEntries(m.Metadata.Annotations, annotations);
            if (labelPatch is not null) metadata["labels"] = labelPatch;
            if (annotationPatch is not null) metadata["annotations"] = annotationPatch;
            var spec = new JsonObject();
            if (m.Spec.MinReadySeconds != template.MinReadySeconds) spec["minReadySeconds"] = template.MinReadySeconds;
            if (!SameJson(m.Spec.ReadinessGates, template.ReadinessGates)) spec["readinessGates"] = ToNode(template.ReadinessGates);
            if (!SameJson(m.Spec.Taints, template.Taints)) spec["taints"] = ToNode(template.Taints);
            if (template.Deletion is { } deletion && !SameJson(m.Spec.Deletion, Merge(m.Spec.Deletion, deletion)))
                spec["deletion"] = ToNode(Merge(m.Spec.Deletion, deletion));
            if (metadata.Count == 0 && spec.Count == 0) continue;

            metadata["resourceVersion"] = m.Metadata.ResourceVersion;
            var patch = new JsonObject { ["metadata"] = metadata };
            if (spec.Count > 0) patch["spec"] = spec;
            try
            {
                s.Machines[i] = await Kube.MergePatchAsync<Api.Machine>(s.Namespace, m.Metadata.Name, patch, ct: ct);
            }
            catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
            {
                // Changed meanwhile; the next step brings it in step.
            }
        }
        return ReconcileResult.Done();
    }

    /// <summary>Creates or deletes Machines so that their number matches <c>spec.replicas</c>.</summary>
    private async Task<ReconcileResult> SyncReplicasAsync(MachineSetScope s, CancellationToken ct)
    {
        var ms = s.Set;
        var machines = s.Machines!;
        var diff = machines.Count - (ms.Spec.Replicas ?? 0);
        if (diff < 0)
        {
            if (ms.Metadata.Annotations?.TryGetValue(CapiAnnotations.DisableMachineCreate, out var disabled) == true && disabled == "true")
            {
                Logger.LogInformation("MachineSet {Namespace}/{Name}: automatic creation of new Machines is disabled", s.Namespace, ms.Metadata.Name);
                return ReconcileResult.Done();
            }
            if (s.InfrastructureTemplateNotFound || s.BootstrapTemplateNotFound)
                return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(ms.Metadata.CreationTimestamp), s.Now));
            await CreateMachinesAsync(s, -diff, ct);
        }
        else if (diff > 0)
        {
            var victims = DeletionOrder.Pick(machines, diff, ms.Spec.Deletion?.Order, s.UtcNow);
            foreach (var m in victims.Where(m => !MachineFacts.IsDeleting(m)))
            {
                await DeleteMachineAsync(ms, m, ct);
                Logger.LogInformation("Machine {Namespace}/{Machine} deleting (scale down to {Replicas})", s.Namespace, m.Metadata.Name, ms.Spec.Replicas);
            }
        }
        return ReconcileResult.Done();
    }

    /// <summary>Reserves creation indexes on the set (a fenced write, before anything is created), then creates
    /// each Machine's bootstrap config and infrastructure machine and the Machine itself, all create-or-get.</summary>
    private async Task CreateMachinesAsync(MachineSetScope s, int count, CancellationToken ct)
    {
        var ms = s.Set;
        var first = MachineNames.NextIndex(ms.Metadata.Annotations);
        await ReserveIndexesAsync(ms, first + count, ct);
        for (var index = first; index < first + count; index++)
        {
            var name = MachineNames.For(ms.Metadata.Name, ms.Metadata.Uid, ms.Spec.ClusterName, index, ms.Spec.MachineNaming?.Template);
            Api.Machine machine;
            try
            {
                if (s.BootstrapTemplate is { } bootstrapTemplate && !await CreateCloneAsync(MachineTemplateCloner.Clone(bootstrapTemplate, ms, name), ct))
                    continue;
                if (s.InfrastructureTemplate is { } infraTemplate && !await CreateCloneAsync(MachineTemplateCloner.Clone(infraTemplate, ms, name), ct))
                    continue;
                machine = await Kube.CreateOrGetAsync(MachineTemplateCloner.DesiredMachine(ms, name), ct);
            }
            catch (KubeApiException e)
            {
                await MachineCreateFailedAsync(ms, name, e, ct);
                throw;
            }
            if (MachineFacts.ControllerUid(machine.Metadata) != ms.Metadata.Uid) continue;
            Logger.LogInformation("Machine {Namespace}/{Machine} created (scale up to {Replicas})", s.Namespace, name, ms.Spec.Replicas);
            await MachineCreatedAsync(ms, name, ct);
        }
    }

    private async Task ReserveIndexesAsync(MachineSet ms, long next, CancellationToken ct)
    {
        var value = next.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = ms.Metadata.ResourceVersion,
                ["annotations"] = new JsonObject { [MachineNames.NextIndexAnnotation] = value },
            },
        };
        // A 409 here means another step moved the set on: nothing was created, the step retries from fresh state.
        var written = await Kube.MergePatchAsync<MachineSet>(ms.Metadata.NamespaceProperty, ms.Metadata.Name, patch, ct: ct);
        ms.Metadata.Annotations ??= new Dictionary<string, string>();
        ms.Metadata.Annotations[MachineNames.NextIndexAnnotation] = value;
        ms.Metadata.ResourceVersion = written.Metadata.ResourceVersion ?? ms.Metadata.ResourceVersion;
    }

    /// <summary>Creates a template clone unless it exists. False when a namesake is on its way out (the index
    /// is skipped; a later index creates the replica).</summary>
    private async Task<bool> CreateCloneAsync(JsonObject clone, CancellationToken ct)
    {
        var apiVersion = ExternalObjects.Text(clone, "apiVersion") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var resource = CapiResources.For(group, ExternalObjects.Text(clone, "kind") ?? "");
        var ns = ExternalObjects.Text(clone, "metadata", "namespace");
        try
        {
            await Kube.SendAsync<JsonObject>(HttpMethod.Post, resource.CollectionPath(ns), clone.ToJsonString(), "application/json", ct);
            return true;
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            var name = ExternalObjects.Text(clone, "metadata", "name")!;
            var existing = await Kube.SendAsync<JsonObject>(HttpMethod.Get, $"{resource.CollectionPath(ns)}/{Uri.EscapeDataString(name)}", null, null, ct);
            return !ExternalObjects.IsDeleting(existing);
        }
    }

    private static JsonObject? MissingEntries(IDictionary<string, string>? actual, IReadOnlyDictionary<string, string> desired)
    {
        JsonObject? patch = null;
        foreach (var (k, v) in desired)
        {
            if (actual is not null && actual.TryGetValue(k, out var current) && current == v) continue;
            (patch ??= [])[k] = v;
        }
        return patch;
    }

    private static MachineDeletionSpec Merge(MachineDeletionSpec? current, MachineDeletionSpec template) => new()
    {
        NodeDrainTimeoutSeconds = template.NodeDrainTimeoutSeconds ?? current?.NodeDrainTimeoutSeconds,
        NodeVolumeDetachTimeoutSeconds = template.NodeVolumeDetachTimeoutSeconds ?? current?.NodeVolumeDetachTimeoutSeconds,
        NodeDeletionTimeoutSeconds = template.NodeDeletionTimeoutSeconds ?? current?.NodeDeletionTimeoutSeconds,
        AdditionalProperties = current?.AdditionalProperties,
    };

    private static JsonNode? ToNode<T>(T? value) => value is null ? null : JsonNode.Parse(k8s.KubernetesJson.Serialize(value));

    private static bool SameJson<T>(T? a, T? b) => JsonNode.DeepEquals(ToNode(a), ToNode(b));
}
