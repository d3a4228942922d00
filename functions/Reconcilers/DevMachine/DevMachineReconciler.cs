using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.InMemory;
using ServerlessCapi.Providers.InMemory.Client;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.ProviderCommon;

namespace ServerlessCapi.Reconcilers.DevMachine;

/// <summary>The DevMachine reconciler (in-memory backend): a VM in the in-memory cloud for the owning Machine,
/// once the Cluster's infrastructure is provisioned and the Machine's bootstrap data exists (CAPI's
/// infrastructure machine contract). Sets <c>spec.providerID</c> at once, then sleeps on a durable timer
/// until the cloud expects the next part up, and reports <c>status.initialization.provisioned</c>, the
/// addresses and the provisioning conditions. Deleting the DevMachine deletes the VM (and its Node).</summary>
public sealed class DevMachineReconciler(KubeApi kube, InMemoryCloudClient cloud, ILogger<DevMachineReconciler> logger)
    : ObjectReconciler<Api.DevMachine>(kube, logger)
{
    private static readonly TimeSpan MinimumTimer = TimeSpan.FromMilliseconds(100);

    protected override async Task<ReconcileResult> ReconcileAsync(Api.DevMachine obj, ReconcileContext context, CancellationToken ct)
    {
        var now = context.Now;
        var ns = obj.Metadata.NamespaceProperty;
        if (obj.Metadata.IsDeleting())
            return await DeleteAsync(obj, now, ct);

        var machineName = obj.Metadata.ControllerOfKind(CapiGroups.Core, "Machine")?.Name;
        var machine = machineName is null ? null : await Kube.GetAsync<Api.Machine>(ns, machineName, ct);
        if (machine is null)
        {
            DevMachineStatus.Waiting(obj, DevMachineReasons.NotReady, "Waiting for the Machine controller to set the owner reference", now);
            return ReconcileResult.Done("waiting for the owning Machine");
        }
        if (machine.Metadata.IsDeleting())
        {
            // A Machine on its way out gets no VM: its deletion deletes this DevMachine, and a VM made now would be
            // one more thing to race with that.
            DevMachineStatus.Waiting(obj, DevMachineReasons.NotReady, "The owning Machine is being deleted", now);
            return ReconcileResult.Done("owning Machine deleting");
        }
        var clusterName = machine.Spec.ClusterName is { Length: > 0 } n ? n : obj.Metadata.Label(CapiLabels.ClusterName);
        var cluster = clusterName is null ? null : await Kube.GetAsync<Api.Cluster>(ns, clusterName, ct);
        if (obj.Spec.Backend.InMemory is not { } backend)
        {
            DevMachineStatus.Waiting(obj, DevMachineReasons.NotReady, "Only spec.backend.inMemory is supported", now);
            return ReconcileResult.Done("unsupported backend");
        }
        if (cluster is null || !ClusterFacts.InfrastructureProvisioned(cluster))
        {
            DevMachineStatus.Waiting(obj, DevMachineReasons.InMemoryVMWaitingForClusterInfrastructure,
                "Waiting for Cluster status.initialization.infrastructureProvisioned to be true", now);
            return ProviderTiming.PollCluster("waiting for the cluster infrastructure");
        }
        // A MachinePool instance's Machine carries no bootstrap data: the pool's template has it, and the pool's version
        // (CAPI's docker backend reads both from the pool named by the pool-name label).
        var pool = await PoolOfAsync(machine, ct);
        var dataSecretName = pool is null ? machine.Spec.Bootstrap.DataSecretName : pool.Spec.Template.Spec.Bootstrap.DataSecretName;
        if (string.IsNullOrEmpty(dataSecretName))
        {
            DevMachineStatus.Waiting(obj, DevMachineReasons.InMemoryVMWaitingForBootstrapData,
                "Waiting for Machine spec.bootstrap.dataSecretName to be set", now);
            return ReconcileResult.Done("waiting for bootstrap data");
        }

        // The finalizer is on the server before the VM exists, so this DevMachine cannot be gone (and its VM forgotten)
        // whatever deletion races this step: its deletion waits for the finalizer, which goes only with the VM.
        await PersistFinalizerAsync(obj, CapiFinalizers.DevMachine, ct);
        var vm = await cloud.CreateVmAsync(obj.Metadata.Uid, VmRequests.For(machine, cluster, backend, obj, pool?.Spec.Template.Spec.Version), ct);
        obj.Spec.ProviderId ??= vm.ProviderId;

        var wantNotReady = InMemoryAnnotations.IsSet(obj.Metadata.Annotations, InMemoryAnnotations.NodeNotReady)
                           || InMemoryAnnotations.IsSet(machine.Metadata.Annotations, InMemoryAnnotations.NodeNotReady);
        if (vm.Node.Ready && vm.NodeReady == wantNotReady)
            vm = await cloud.SetNodeReadyAsync(obj.Metadata.Uid, ready: !wantNotReady, ct) ?? vm;

        DevMachineStatus.FromVm(obj, vm, now);
        if (vm.State != VmState.Provisioning)
            return ReconcileResult.Done(vm.State.ToString());
        var next = new[] { vm.Vm, vm.Node, vm.Etcd, vm.ApiServer }
            .Where(c => c is { Ready: false })
            .Select(c => c!.ReadyAt)
            .DefaultIfEmpty(vm.ReadyAt)
            .Min();
        var wait = next - now;
        return ReconcileResult.Requeue(wait < MinimumTimer ? MinimumTimer : wait, "provisioning");
    }

    private async Task<Api.MachinePool?> PoolOfAsync(Api.Machine machine, CancellationToken ct) =>
        machine.Metadata.Labels?.ContainsKey(CapiLabels.PoolName) == true
        && machine.Metadata.ControllerOfKind(CapiGroups.Core, Api.MachinePool.KubeKind)?.Name is { } poolName
            ? await Kube.GetAsync<Api.MachinePool>(machine.Metadata.NamespaceProperty, poolName, ct)
            : null;

    private async Task<ReconcileResult> DeleteAsync(Api.DevMachine obj, DateTimeOffset now, CancellationToken ct)
    {
        if (obj.Metadata.Finalizers?.Contains(CapiFinalizers.DevMachine) != true)
            return ReconcileResult.Done("deleted");
        DevMachineStatus.Deleting(obj, now);
        await cloud.DeleteVmAsync(obj.Metadata.Uid, ct);
        if (await cloud.GetVmAsync(obj.Metadata.Uid, ct) is not null)
            return ProviderTiming.PollDeletion("waiting for the VM to go");
        obj.Metadata.RemoveFinalizer(CapiFinalizers.DevMachine);
        Logger.LogInformation("DevMachine {Namespace}/{Name}: VM deleted", obj.Metadata.NamespaceProperty, obj.Metadata.Name);
        return ReconcileResult.Done("deleted");
    }
}
