using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.ControlPlane;
using ServerlessCapi.Providers.InMemory.Client;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.ProviderCommon;

namespace ServerlessCapi.Reconcilers.KubeadmControlPlane;

/// <summary>The KubeadmControlPlane reconciler (CAPI's kubeadm control plane provider): the cluster certificate
/// Secrets and the <c>&lt;cluster&gt;-kubeconfig</c> Secret, control-plane Machines (one at a time: the first initialises the
/// control plane, then up or down towards <c>spec.replicas</c>, and a surge-by-one rollout when the version
/// or the infrastructure template changes), and the status CAPI reports.</summary>
/// <remarks>
/// Each step observes the Cluster, the owned Machines with their KubeadmConfigs and infrastructure machines,
/// and the workload cluster's Nodes (<see cref="ControlPlaneScope"/>); asks <see cref="ControlPlanePlan"/>
/// for the single next action; performs it idempotently (deterministic names, create-or-get, uid-checked
/// deletes); then computes the status. Machine changes wake it (it is their controller owner); it polls with
/// a short timer only while waiting for something that sends it no event (Nodes, the Cluster).
/// </remarks>
/// <param name="cloud">The in-memory cloud, which knows its workload clusters' exact server URLs (absent when the
/// app runs without it: the kubeconfig then points at the control plane endpoint).</param>
/// <param name="cloudSettings">Where the workload token for kubeconfigs comes from (absent: no token).</param>
public sealed partial class KubeadmControlPlaneReconciler(
    KubeApi kube,
    ILogger<KubeadmControlPlaneReconciler> logger,
    InMemoryCloudClient? cloud = null,
    InMemoryCloudSettings? cloudSettings = null,
    EventRecorder? events = null)
    : ObjectReconciler<Api.KubeadmControlPlane>(kube, logger, events)
{
    /// <summary>Where the next Machine name's ordinal is kept (so a deleted Machine's name is never reused).</summary>
    public const string NextOrdinalAnnotation = "controlplane.cluster.x-k8s.io/next-machine-ordinal";

    protected override async Task<ReconcileResult> ReconcileAsync(Api.KubeadmControlPlane kcp, ReconcileContext context, CancellationToken ct)
    {
        var now = context.Now;
        var ns = kcp.Metadata.NamespaceProperty;
        var clusterName = kcp.Metadata.ControllerOfKind(CapiGroups.Core, "Cluster")?.Name ?? kcp.Metadata.Label(CapiLabels.ClusterName);
        var cluster = string.IsNullOrEmpty(clusterName) ? null : await Kube.GetAsync<Api.Cluster>(ns, clusterName, ct);

        if (kcp.Metadata.IsDeleting())
            return await DeleteAsync(kcp, clusterName, now, ct);
        // Before defaulting, which would turn "banana" into "vbanana" and roll the control plane to it.
        if (InvalidInput.First(InvalidInput.Version("spec.version", kcp.Spec.Version), InvalidInput.Replicas("spec.replicas", kcp.Spec.Replicas)) is { } problem)
            return InvalidInput.Report(Logger, Kind, kcp.Metadata, kcp.Status, problem, now);
        InvalidInput.Clear(kcp.Status);
        if (cluster is null)
        {
            KubeadmControlPlaneStatus.WaitingForCluster(kcp, now);
            return ProviderTiming.PollCluster("waiting for the Cluster");
        }

        CapiDefaults.Default(kcp);
        kcp.Metadata.AddFinalizer(CapiFinalizers.KubeadmControlPlane);
        kcp.Metadata.Labels ??= new Dictionary<string, string>();
        kcp.Metadata.Labels[CapiLabels.ClusterName] = cluster.Metadata.Name;

        if (!cluster.Spec.ControlPlaneEndpoint?.IsValid ?? true)
        {
            KubeadmControlPlaneStatus.WaitingForEndpoint(kcp, now);
            return ProviderTiming.PollCluster("waiting for the control plane endpoint");
        }
        await EnsureCertificatesAsync(kcp, cluster, now, ct);
        await EnsureKubeconfigAsync(kcp, cluster, ct);

        var scope = await ObserveAsync(kcp, cluster, now, ct);
        await RepairMachinesAsync(scope, ct);
        await RecordCertificatesExpiryAsync(scope, ct);
        var plan = ControlPlanePlan.For(scope.Desired, scope.Initialized, scope.PlannerView());
        switch (plan.Action)
        {
            case PlanAction.Create:
                await CreateMachineAsync(scope, plan.Init, ct);
                break;
            case PlanAction.Delete:
                await DeleteMachineAsync(scope, plan.Machine!, ct);
                break;
        }
        await MarkMachinesUpToDateAsync(scope, now, ct);
        KubeadmControlPlaneStatus.Compute(scope, plan, now);

        // Machine changes wake this workflow (and each Machine looks for its own Node); while anything is still in
        // motion, look again on our own too, less often while looks find nothing new.
        var settled = plan.Action == PlanAction.None && scope.Machines.All(scope.IsHealthy);
        return settled ? ReconcileResult.Done("stable") : ReconcileResult.Poll(ProviderTiming.WhileScaling, ProviderTiming.WhileScalingLimit, plan.Message);
    }

    private async Task<ReconcileResult> DeleteAsync(Api.KubeadmControlPlane kcp, string? clusterName, DateTimeOffset now, CancellationToken ct)
    {
        var ns = kcp.Metadata.NamespaceProperty;
        if (clusterName is null)
        {
            kcp.Metadata.RemoveFinalizer(CapiFinalizers.KubeadmControlPlane);
            return ReconcileResult.Done("deleted");
        }
        var all = await Kube.ListAsync<Api.Machine>(ns, $"{CapiLabels.ClusterName}={clusterName}", ct: ct);
        var workers = all.Count(m => m.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) != true);
        if (workers > 0)
        {
            KubeadmControlPlaneStatus.Deleting(kcp, KubeadmControlPlaneReasons.DeletingWaitingForWorkersDeletion,
                $"Waiting for {workers} worker Machines to be deleted", now);
            return ProviderTiming.PollDeletion("waiting for workers to go");
        }
        var mine = all.Where(m => ControlPlaneScope.OwnedBy(m.Metadata, kcp.Metadata)).ToList();
        try
        {
            foreach (var m in mine.Where(m => m.Metadata.DeletionTimestamp is null))
                await Kube.DeleteAsync<Api.Machine>(ns, m.Metadata.Name, m.Metadata.Uid, ct: ct);
        }
        catch (KubeApiException e)
        {
            await WarningEventAsync(kcp, "FailedDelete", "Delete",
                $"Failed to delete control plane Machines for cluster {ns}/{clusterName} control plane: {e.Message}", ct);
            throw;
        }
        if (mine.Count > 0)
        {
            KubeadmControlPlaneStatus.Deleting(kcp, KubeadmControlPlaneReasons.DeletingWaitingForMachineDeletion,
                $"Waiting for {mine.Count} control plane Machines to be deleted", now);
            return ProviderTiming.PollDeletion("waiting for machines to go");
        }
        KubeadmControlPlaneStatus.Deleting(kcp, KubeadmControlPlaneReasons.DeletingDeletionCompleted, "", now);
        kcp.Metadata.RemoveFinalizer(CapiFinalizers.KubeadmControlPlane);
        Logger.LogInformation("KubeadmControlPlane {Namespace}/{Name} deleted", ns, kcp.Metadata.Name);
        return ReconcileResult.Done("deleted");
    }
}
