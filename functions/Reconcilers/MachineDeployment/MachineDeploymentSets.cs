using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Rollout;

namespace ServerlessCapi.Reconcilers.MachineDeployments;

/// <summary>The sets of a deployment: finding and adopting them, planning and writing their replicas, and
/// removing old ones once a rollout is complete.</summary>
public sealed partial class MachineDeploymentReconciler
{
    private async Task<ReconcileResult> ListAndAdoptSetsAsync(MachineDeploymentScope s, CancellationToken ct)
    {
        var md = s.Deployment;
        var candidates = await Kube.ListAsync<MachineSet>(s.Namespace, $"{CapiLabels.ClusterName}={md.Spec.ClusterName}", ct: ct);
        var sets = new List<MachineSet>();
        foreach (var ms in candidates)
        {
            var controller = OwnerReferences.ControllerOf(ms.Metadata);
            var controlled = controller?.Uid == md.Metadata.Uid;
            if (!controlled && (controller is not null || !md.Spec.Selector.Matches(ms.Metadata.Labels?.AsReadOnly()))) continue;

            var metadata = new JsonObject();
            if (!controlled)
            {
                var owners = new JsonArray();
                foreach (var o in ms.Metadata.OwnerReferences ?? []) owners.Add(JsonNode.Parse(KubernetesJson.Serialize(o)));
                owners.Add(JsonNode.Parse(KubernetesJson.Serialize(
                    OwnerReferences.For(CapiGroups.CoreApiVersion, MachineDeployment.KubeKind, md.Metadata, controller: true))));
                metadata["ownerReferences"] = owners;
            }
            if (ms.Metadata.Labels?.TryGetValue(CapiLabels.DeploymentName, out var name) != true || name != md.Metadata.Name)
                metadata["labels"] = new JsonObject { [CapiLabels.DeploymentName] = md.Metadata.Name };
            if (metadata.Count > 0)
            {
                if (await PatchSetAsync(ms, new JsonObject { ["metadata"] = metadata }, ct) is not { } patched) continue;
                if (!controlled)
                {
                    Logger.LogInformation("MachineDeployment {Namespace}/{Name} adopted MachineSet {Set}", s.Namespace, md.Metadata.Name, ms.Metadata.Name);
                    await NormalEventAsync(md, "SuccessfulAdopt", "Adopt", $"Adopted MachineSet \"{ms.Metadata.Name}\"", ct);
                }
                sets.Add(patched);
                continue;
            }
            sets.Add(ms);
        }
        s.Sets = sets;
        return ReconcileResult.Done();
    }

    /// <summary>Plans the next replica count of every set and writes it, with the deployment's in-place fields.</summary>
    private async Task<ReconcileResult> RolloutAsync(MachineDeploymentScope s, CancellationToken ct)
    {
        var md = s.Deployment;
        var now = s.UtcNow;
        var live = s.Sets!.Where(x => x.Metadata.DeletionTimestamp is null).ToList();
        var (newSet, oldSets) = MachineTemplates.Classify(md, live, now);
        var replicas = md.Spec.Replicas ?? 0;
        var bounds = RolloutBounds.For(md);
        var onDelete = md.Spec.Rollout?.Strategy?.Type == RolloutStrategyType.OnDelete;
        var revision = newSet is null && md.Spec.Paused == true ? null : DesiredMachineSet.NextRevision(newSet, oldSets);
        var olds = oldSets.Select(Replicas).ToList();

        IReadOnlyDictionary<string, int> intents;
        MachineSet? toCreate = null;
        if (md.Spec.Paused == true)
        {
            intents = ProportionalScaler.Plan(replicas, bounds.MaxSurge, !onDelete, newSet is null ? null : Replicas(newSet), olds, md.Status.Replicas ?? 0);
        }
        else
        {
            if (newSet is null && (s.InfrastructureTemplateNotFound || s.BootstrapTemplateNotFound))
            {
                Logger.LogInformation("MachineDeployment {Namespace}/{Name} cannot create a MachineSet: its templates do not exist", s.Namespace, md.Metadata.Name);
                return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(md.Metadata.CreationTimestamp), s.Now));
            }
            var current = newSet is null
                ? new SetReplicas(MachineTemplates.SetName(md, now), now, 0, 0, 0)
                : Replicas(newSet);
            intents = onDelete ? RolloutPlanner.OnDelete(replicas, current, olds) : RolloutPlanner.RollingUpdate(replicas, bounds, current, olds);
            if (newSet is null)
                toCreate = DesiredMachineSet.New(md, current.Name, MachineTemplates.Hash(md, now), intents.GetValueOrDefault(current.Name, 0), revision!, bounds.MaxSurge);
        }

        if (toCreate is not null)
        {
            MachineSet created;
            try
            {
                created = await Kube.CreateOrGetAsync(toCreate, ct);
            }
            catch (KubeApiException e)
            {
                await WarningEventAsync(md, "FailedCreate", "Create", $"Failed to create MachineSet {s.Namespace}/{toCreate.Metadata.Name}: {e.Message}", ct);
                throw;
            }
            if (OwnerReferences.ControllerOf(created.Metadata)?.Uid != md.Metadata.Uid)
                throw new KubeApiException(System.Net.HttpStatusCode.Conflict, "Conflict", $"MachineSet {created.Metadata.Name} exists and is not controlled by this MachineDeployment");
            Logger.LogInformation("MachineSet {Namespace}/{Set} created with {Replicas} replicas (revision {Revision})", s.Namespace, created.Metadata.Name,
                created.Spec.Replicas, revision);
            await NormalEventAsync(md, "SuccessfulCreate", "Create", $"Created MachineSet {s.Namespace}/{created.Metadata.Name} with {created.Spec.Replicas ?? 0} replicas", ct);
            newSet = created;
            s.Sets!.Add(created);
        }

        for (var i = 0; i < s.Sets!.Count; i++)
        {
            var set = s.Sets[i];
            if (set.Metadata.DeletionTimestamp is not null) continue;
            var isNew = ReferenceEquals(set, newSet);
            var desired = KubernetesJson.Deserialize<MachineSet>(KubernetesJson.Serialize(set));
            DesiredMachineSet.Update(md, desired, intents.GetValueOrDefault(set.Metadata.Name, set.Spec.Replicas ?? 0),
                isNew ? revision : null, disableMachineCreate: onDelete && !isNew, bounds.MaxSurge);
            var patch = Diff(set, desired);
            if (patch is null) continue;
            if (await PatchSetAsync(set, patch, ct) is not { } written)
                return ReconcileResult.Requeue(TimeSpan.FromSeconds(1));
            if ((written.Spec.Replicas ?? 0) != (set.Spec.Replicas ?? 0))
            {
                Logger.LogInformation("Scaled {Which} MachineSet {Namespace}/{Set} from {From} to {To} replicas", isNew ? "new" : "old", s.Namespace,
                    set.Metadata.Name, set.Spec.Replicas ?? 0, written.Spec.Replicas ?? 0);
                var direction = (written.Spec.Replicas ?? 0) > (set.Spec.Replicas ?? 0) ? "up" : "down";
                await NormalEventAsync(md, "SuccessfulScale", "Scale",
                    $"Scaled {direction} MachineSet {set.Metadata.Name}: {set.Spec.Replicas ?? 0} -> {written.Spec.Replicas ?? 0}", ct);
            }
            if (isNew) newSet = written;
            s.Sets[i] = written;
        }

        if (newSet is not null && revision is not null)
        {
            md.Metadata.Annotations ??= new Dictionary<string, string>();
            md.Metadata.Annotations[CapiAnnotations.Revision] = revision;
        }
        await CleanupOldSetsAsync(s, newSet, ct);
        return ReconcileResult.Done();
    }

    /// <summary>Once every replica is up to date and available, old sets without Machines are deleted.</summary>
    private async Task CleanupOldSetsAsync(MachineDeploymentScope s, MachineSet? newSet, CancellationToken ct)
    {
        var md = s.Deployment;
        var replicas = md.Spec.Replicas ?? 0;
        var sets = s.Sets!;
        var complete = sets.Sum(x => x.Status.Replicas ?? 0) == replicas
                       && sets.Sum(x => x.Status.UpToDateReplicas ?? 0) == replicas
                       && sets.Sum(x => x.Status.AvailableReplicas ?? 0) == replicas;
        if (!complete) return;
        foreach (var old in sets.Where(x => !ReferenceEquals(x, newSet) && x.Metadata.DeletionTimestamp is null).ToList())
        {
            if ((old.Spec.Replicas ?? 0) != 0 || (old.Status.Replicas ?? 0) != 0 || (old.Status.ObservedGeneration ?? 0) < (old.Metadata.Generation ?? 0))
                continue;
            bool deleted;
            try
            {
                deleted = await Kube.DeleteAsync<MachineSet>(s.Namespace, old.Metadata.Name, old.Metadata.Uid, ct: ct);
            }
            catch (KubeApiException e)
            {
                await WarningEventAsync(md, "FailedDelete", "Delete", $"Failed to delete MachineSet \"{old.Metadata.Name}\": {e.Message}", ct);
                throw;
            }
            if (!deleted) continue;
            Logger.LogInformation("MachineSet {Namespace}/{Set} deleting (cleanup of old MachineSets)", s.Namespace, old.Metadata.Name);
            await NormalEventAsync(md, "SuccessfulDelete", "Delete", $"Deleted MachineSet \"{old.Metadata.Name}\"", ct);
        }
    }

    private async Task<MachineSet?> PatchSetAsync(MachineSet ms, JsonObject patch, CancellationToken ct)
    {
        patch["metadata"] ??= new JsonObject();
        patch["metadata"]!["resourceVersion"] = ms.Metadata.ResourceVersion;
        try
        {
            return await Kube.MergePatchAsync<MachineSet>(ms.Metadata.NamespaceProperty, ms.Metadata.Name, patch, ct: ct);
        }
        catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
        {
            return null; // It changed meanwhile; its event brings us back.
        }
    }

    private static JsonObject? Diff(MachineSet current, MachineSet desired)
    {
        var before = JsonNode.Parse(KubernetesJson.Serialize(current))!.AsObject();
        var after = JsonNode.Parse(KubernetesJson.Serialize(desired))!.AsObject();
        before.Remove("status");
        after.Remove("status");
        return JsonMergePatch.Create(before, after);
    }

    private static SetReplicas Replicas(MachineSet ms) => new(
        ms.Metadata.Name,
        ms.Metadata.CreationTimestamp is { } t ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : DateTime.MinValue,
        ms.Spec.Replicas ?? 0,
        ms.Status.Replicas ?? 0,
        ms.Status.AvailableReplicas ?? 0,
        ms.Metadata.Annotations?.TryGetValue(CapiAnnotations.MaxReplicas, out var max) == true
        && int.TryParse(max, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
            ? value
            : null);
}
