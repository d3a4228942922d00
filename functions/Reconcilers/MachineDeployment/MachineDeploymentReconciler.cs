using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.MachineSets;
using ServerlessCapi.Reconcilers.ProviderCommon;
using ServerlessCapi.Reconcilers.Rollout;

namespace ServerlessCapi.Reconcilers.MachineDeployments;

/// <summary>The MachineDeployment reconciler: one MachineSet per template revision, rolled from old to new within
/// the strategy's bounds (CAPI's machinedeployment controller).</summary>
/// <remarks>
/// A step applies CAPI's defaults, ensures finalizer, owner and labels, lists and adopts its sets, then
/// (unless the deployment is being deleted, which deletes the sets) plans the next replica counts with
/// <see cref="RolloutPlanner"/> (RollingUpdate, OnDelete) or <see cref="ProportionalScaler"/> (paused),
/// writes them to the sets with fenced patches, creating the set for a new template under a deterministic
/// name, and removes old sets once the rollout is complete. The status is computed at the end
/// (<see cref="MachineDeploymentStatusCalculator"/>). The sets' status changes wake the deployment (it is their
/// controller owner), so the rollout advances as Machines become available.
/// </remarks>
public sealed partial class MachineDeploymentReconciler(KubeApi kube, ILogger<MachineDeploymentReconciler> logger, EventRecorder? events = null)
    : ObjectReconciler<MachineDeployment>(kube, logger, events)
{
    private static readonly TimeSpan DeletionResync = TimeSpan.FromSeconds(5);

    protected override async Task<ReconcileResult> ReconcileAsync(MachineDeployment md, ReconcileContext context, CancellationToken ct)
    {
        var s = new MachineDeploymentScope(md, context.Now);
        // Before defaulting, which would write "banana" back as "vbanana" and start a rollout to it.
        if (!s.IsDeleting && Validate(md) is { } problem)
            return InvalidInput.Report(Logger, Kind, md.Metadata, md.Status, problem, context.Now);
        InvalidInput.Clear(md.Status);
        CapiDefaults.Default(md);
        s.Cluster = await Kube.GetAsync<Api.Cluster>(s.Namespace, md.Spec.ClusterName, ct);
        if (s.Cluster is null && !s.IsDeleting)
        {
            Logger.LogInformation("MachineDeployment {Namespace}/{Name} waits for Cluster {Cluster}", s.Namespace, md.Metadata.Name, md.Spec.ClusterName);
            return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(md.Metadata.CreationTimestamp), s.Now), "waiting for cluster");
        }
        if (!s.IsDeleting)
        {
            md.Metadata.Finalizers ??= [];
            if (!md.Metadata.Finalizers.Contains(CapiFinalizers.MachineDeployment)) md.Metadata.Finalizers.Add(CapiFinalizers.MachineDeployment);
            if (s.Cluster is { } cluster)
                OwnerReferences.Ensure(md.Metadata, OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, cluster.Metadata, controller: false));
        }

        // The rollout and the deletion act on the sets the earlier phases read: a failure before them skips them.
        var phases = new PhaseRunner<MachineDeploymentScope>(s, Logger, Kind, s.Namespace, md.Metadata.Name);
        await phases.RunAsync(ReconcileTemplatesAsync, "templates", ct);
        await phases.RunAsync(ListAndAdoptSetsAsync, "sets", ct, needsEarlierPhases: true);
        if (s.IsDeleting)
            await phases.RunAsync(ReconcileDeleteAsync, "delete", ct, needsEarlierPhases: true);
        else
            await phases.RunAsync(RolloutAsync, "rollout", ct, needsEarlierPhases: true);
        await phases.RunAsync(ListMachinesAsync, "machines", ct, needsEarlierPhases: true);

        var observedGeneration = md.Status.ObservedGeneration;
        MachineDeploymentStatusCalculator.Apply(md, s);
        md.Status.ObservedGeneration = phases.Failed ? observedGeneration : md.Metadata.Generation;
        return phases.Finish($"{md.Status.AvailableReplicas ?? 0}/{md.Spec.Replicas ?? 0} available, {md.Status.UpToDateReplicas ?? 0} up to date");
    }

    /// <summary>What admission refuses and a deployment must not roll out. The selector is checked against the template's
    /// labels plus the cluster-name label defaulting adds to both.</summary>
    internal static InputProblem? Validate(MachineDeployment md)
    {
        var labels = new Dictionary<string, string>(md.Spec.Template.Metadata?.Labels ?? [], StringComparer.Ordinal)
        {
            [CapiLabels.ClusterName] = md.Spec.ClusterName,
        };
        return InvalidInput.First(
            InvalidInput.ClusterName("spec.clusterName", md.Spec.ClusterName),
            InvalidInput.Replicas("spec.replicas", md.Spec.Replicas),
            InvalidInput.Version("spec.template.spec.version", md.Spec.Template.Spec.Version),
            InvalidInput.Selector("spec.selector", md.Spec.Selector, labels));
    }

    private async Task<ReconcileResult> ReconcileTemplatesAsync(MachineDeploymentScope s, CancellationToken ct)
    {
        var spec = s.Deployment.Spec.Template.Spec;
        if (spec.InfrastructureRef.IsDefined)
            s.InfrastructureTemplateNotFound = await OwnedByClusterAsync(s, await Kube.GetAsync(s.Namespace, spec.InfrastructureRef, ct), ct) is null;
        if (spec.Bootstrap.ConfigRef is { IsDefined: true } configRef)
            s.BootstrapTemplateNotFound = await OwnedByClusterAsync(s, await Kube.GetAsync(s.Namespace, configRef, ct), ct) is null;
        return ReconcileResult.Done();
    }

    /// <summary>The Cluster owns the templates (CAPI's MachineDeployment controller), so none outlives it.</summary>
    private async Task<JsonObject?> OwnedByClusterAsync(MachineDeploymentScope s, JsonObject? template,
        CancellationToken ct)
    {
        if (template is null || s.Cluster is null || s.Deployment.Metadata.IsDeleting()) return template;
        return await TemplateOwnership.EnsureClusterOwnerAsync(Kube, template, s.Cluster, ct);
    }

    /// <summary>Deletes every set (each takes its Machines with it); the finalizer goes when none is left.</summary>
    private async Task<ReconcileResult> ReconcileDeleteAsync(MachineDeploymentScope s, CancellationToken ct)
    {
        var sets = s.Sets ?? [];
        if (sets.Count == 0)
        {
            s.Deployment.Metadata.Finalizers?.Remove(CapiFinalizers.MachineDeployment);
            return ReconcileResult.Done();
        }
        foreach (var set in sets.Where(x => x.Metadata.DeletionTimestamp is null))
        {
            await Kube.DeleteAsync<MachineSet>(s.Namespace, set.Metadata.Name, set.Metadata.Uid, ct: ct);
            Logger.LogInformation("MachineSet {Namespace}/{Set} deleting (MachineDeployment deleting)", s.Namespace, set.Metadata.Name);
        }
        return ReconcileResult.Requeue(DeletionResync);
    }

    /// <summary>The Machines of the deployment's sets (for the Machine-level conditions).</summary>
    private async Task<ReconcileResult> ListMachinesAsync(MachineDeploymentScope s, CancellationToken ct)
    {
        var uids = (s.Sets ?? []).Select(x => x.Metadata.Uid).ToHashSet(StringComparer.Ordinal);
        var machines = await Kube.ListAsync<Api.Machine>(s.Namespace, $"{CapiLabels.DeploymentName}={s.Deployment.Metadata.Name}", ct: ct);
        var owned = machines.Where(m => OwnerReferences.ControllerOf(m.Metadata)?.Uid is { } uid && uids.Contains(uid)).ToList();
        var sets = (s.Sets ?? []).ToDictionary(x => x.Metadata.Uid, StringComparer.Ordinal);
        s.Machines = [.. UpToDateFallback.Apply(owned, m => (sets.GetValueOrDefault(OwnerReferences.ControllerOf(m.Metadata)!.Uid), s.Deployment), s.UtcNow)];
        return ReconcileResult.Done();
    }
}
