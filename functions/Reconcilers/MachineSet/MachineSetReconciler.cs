using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.ProviderCommon;
using ServerlessCapi.Reconcilers.Rollout;

namespace ServerlessCapi.Reconcilers.MachineSets;

/// <summary>The MachineSet reconciler: keeps <c>spec.replicas</c> Machines matching the selector, stamped out of
/// the template (CAPI's machineset controller).</summary>
/// <remarks>
/// A step defaults the set, ensures its finalizer, owner and labels, reads its templates, lists and adopts
/// its Machines, then either tears them down (the set is being deleted) or remediates Machines a health
/// check marked, propagates in-place fields and creates or deletes Machines to match the replicas. The whole
/// status is computed at the end from what was observed (<see cref="MachineSetStatusCalculator"/>). Machine changes
/// wake the set (it is their controller owner); it also polls every 15 s while replicas are not ready, like
/// CAPI, because readiness depends on things that send no event here.
/// </remarks>
public sealed partial class MachineSetReconciler(KubeApi kube, ILogger<MachineSetReconciler> logger, EventRecorder? events = null)
    : ObjectReconciler<MachineSet>(kube, logger, events)
{
    private static readonly TimeSpan NotReadyResync = TimeSpan.FromSeconds(15);

    /// <summary>The longest wait between looks that find nothing new while replicas are not ready: every Machine change
    /// wakes its MachineSet, so this is a safety net, and a thousand sets looking every 15 s took half the steps of a
    /// fleet coming up.</summary>
    private static readonly TimeSpan NotReadyResyncLimit = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan DeletionResync = TimeSpan.FromSeconds(5);

    protected override async Task<ReconcileResult> ReconcileAsync(MachineSet ms, ReconcileContext context, CancellationToken ct)
    {
        var s = new MachineSetScope(ms, context.Now);
        // Before defaulting: a version of "banana" would otherwise be written back as "vbanana".
        if (!s.IsDeleting && Validate(ms) is { } problem)
            return InvalidInput.Report(Logger, Kind, ms.Metadata, ms.Status, problem, context.Now);
        InvalidInput.Clear(ms.Status);
        CapiDefaults.Default(ms);
        s.Cluster = await Kube.GetAsync<Api.Cluster>(s.Namespace, ms.Spec.ClusterName, ct);
        if (s.Cluster is null && !s.IsDeleting)
        {
            Logger.LogInformation("MachineSet {Namespace}/{Name} waits for Cluster {Cluster}", s.Namespace, ms.Metadata.Name, ms.Spec.ClusterName);
            return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(ms.Metadata.CreationTimestamp), s.Now), "waiting for cluster");
        }
        if (!s.IsDeleting) EnsureFinalizer(ms);

        // Every phase after the first acts on what the earlier ones read (templates, the Machines): one that failed
        // leaves them unknown, and creating or deleting Machines on that would be wrong.
        var phases = new PhaseRunner<MachineSetScope>(s, Logger, Kind, s.Namespace, ms.Metadata.Name);
        await phases.RunAsync(ReconcileOwnerAndLabelsAsync, "owner", ct);
        await phases.RunAsync(ReconcileTemplatesAsync, "templates", ct, needsEarlierPhases: true);
        await phases.RunAsync(ListAndAdoptMachinesAsync, "machines", ct, needsEarlierPhases: true);
        if (s.IsDeleting)
        {
            await phases.RunAsync(ReconcileDeleteAsync, "delete", ct, needsEarlierPhases: true);
        }
        else
        {
            await phases.RunAsync(ReconcileUnhealthyMachinesAsync, "remediation", ct, needsEarlierPhases: true);
            await phases.RunAsync(SyncMachinesAsync, "sync", ct, needsEarlierPhases: true);
            await phases.RunAsync(SetMachinesUpToDateAsync, "uptodate", ct, needsEarlierPhases: true);
            await phases.RunAsync(SyncReplicasAsync, "replicas", ct, needsEarlierPhases: true);
        }

        var observedGeneration = ms.Status.ObservedGeneration;
        MachineSetStatusCalculator.Apply(ms, s.Facts());
        ms.Status.ObservedGeneration = phases.Failed ? observedGeneration : ms.Metadata.Generation;

        if (!s.IsDeleting && (ms.Status.ReadyReplicas ?? 0) != (ms.Spec.Replicas ?? 0))
            phases.Add(ReconcileResult.Poll(NotReadyResync, NotReadyResyncLimit));
        return phases.Finish($"{ms.Status.ReadyReplicas ?? 0}/{ms.Spec.Replicas ?? 0} ready");
    }

    /// <summary>What admission refuses and a MachineSet must not act on. A deleting set is still torn down: deletion
    /// only removes what the set owns.</summary>
    internal static InputProblem? Validate(MachineSet ms) => InvalidInput.First(
        InvalidInput.ClusterName("spec.clusterName", ms.Spec.ClusterName),
        InvalidInput.Replicas("spec.replicas", ms.Spec.Replicas),
        InvalidInput.Version("spec.template.spec.version", ms.Spec.Template.Spec.Version),
        InvalidInput.Selector("spec.selector", ms.Spec.Selector, MachineTemplateCloner.MachineLabels(ms)));

    private static void EnsureFinalizer(MachineSet ms)
    {
        ms.Metadata.Finalizers ??= [];
        if (!ms.Metadata.Finalizers.Contains(CapiFinalizers.MachineSet))
            ms.Metadata.Finalizers.Add(CapiFinalizers.MachineSet);
    }

    /// <summary>The cluster-name label on the set, its selector and its template; a stand-alone set is owned
    /// by its Cluster; a set of a MachineDeployment looks up that deployment (remediation and rollout read it).</summary>
    private async Task<ReconcileResult> ReconcileOwnerAndLabelsAsync(MachineSetScope s, CancellationToken ct)
    {
        var ms = s.Set;
        ms.Metadata.Labels ??= new Dictionary<string, string>();
        ms.Metadata.Labels[CapiLabels.ClusterName] = ms.Spec.ClusterName;
        ms.Spec.Selector.MatchLabels ??= [];
        ms.Spec.Selector.MatchLabels[CapiLabels.ClusterName] = ms.Spec.ClusterName;
        var template = ms.Spec.Template.Metadata ??= new ObjectMeta();
        template.Labels ??= [];
        template.Labels[CapiLabels.ClusterName] = ms.Spec.ClusterName;

        var controller = OwnerReferences.ControllerOf(ms.Metadata);
        if (controller is { Kind: MachineDeployment.KubeKind })
        {
            var md = await Kube.GetAsync<MachineDeployment>(s.Namespace, controller.Name, ct);
            s.Deployment = md?.Metadata.Uid == controller.Uid ? md : null;
        }
        else if (controller is null && s.Cluster is { } cluster)
        {
            OwnerReferences.Ensure(ms.Metadata, OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, cluster.Metadata, controller: false));
        }
        return ReconcileResult.Done();
    }

    /// <summary>Reads the templates the Machines are cloned from (their absence blocks scaling up).</summary>
    private async Task<ReconcileResult> ReconcileTemplatesAsync(MachineSetScope s, CancellationToken ct)
    {
        var spec = s.Set.Spec.Template.Spec;
        if (spec.InfrastructureRef.IsDefined)
        {
            s.InfrastructureTemplate = await OwnedByClusterAsync(s, await Kube.GetAsync(s.Namespace, spec.InfrastructureRef, ct), ct);
            s.InfrastructureTemplateNotFound = s.InfrastructureTemplate is null;
        }
        if (spec.Bootstrap.ConfigRef is { IsDefined: true } configRef)
        {
            s.BootstrapTemplate = await OwnedByClusterAsync(s, await Kube.GetAsync(s.Namespace, configRef, ct), ct);
            s.BootstrapTemplateNotFound = s.BootstrapTemplate is null;
        }
        return ReconcileResult.Done();
    }

    /// <summary>The Cluster owns the templates (CAPI's MachineSet controller), so none outlives it; a set on its way out
    /// leaves them as they are.</summary>
    private async Task<JsonObject?> OwnedByClusterAsync(MachineSetScope s, JsonObject? template,
        CancellationToken ct)
    {
        if (template is null || s.Cluster is null || s.Set.Metadata.IsDeleting()) return template;
        return await TemplateOwnership.EnsureClusterOwnerAsync(Kube, template, s.Cluster, ct);
    }

    /// <summary>Deletes every Machine; the finalizer goes when none is left.</summary>
    private async Task<ReconcileResult> ReconcileDeleteAsync(MachineSetScope s, CancellationToken ct)
    {
        var machines = s.Machines ?? [];
        if (machines.Count == 0)
        {
            s.Set.Metadata.Finalizers?.Remove(CapiFinalizers.MachineSet);
            return ReconcileResult.Done();
        }
        foreach (var m in machines.Where(m => !MachineFacts.IsDeleting(m)))
        {
            await DeleteMachineAsync(s.Set, m, ct);
            Logger.LogInformation("Deleting Machine {Namespace}/{Machine} (MachineSet deleted)", s.Namespace, m.Metadata.Name);
        }
        return ReconcileResult.Requeue(DeletionResync);
    }
}
