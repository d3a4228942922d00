using System.Globalization;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.ProviderCommon;

namespace ServerlessCapi.Reconcilers.DevMachinePool;

/// <summary>The DevMachinePool reconciler (in-memory backend): keeps one DevMachine per wanted replica of the owning
/// MachinePool, labelled with the cluster and pool names; each DevMachine gets its in-memory VM and Node through the
/// DevMachine reconciler once the MachinePool has made a Machine for it (CAPI's docker provider keeps one DevMachine per
/// container the same way). Reports the instances' provider IDs, the replica count, <c>status.ready</c> and
/// <c>status.infrastructureMachineKind</c>. Scaling down deletes the surplus instances' Machines (those annotated for
/// deletion first, then those not provisioned, then the newest); deletion deletes every instance first.</summary>
public sealed class DevMachinePoolReconciler(KubeApi kube, ILogger<DevMachinePoolReconciler> logger)
    : ObjectReconciler<Api.DevMachinePool>(kube, logger)
{
    public const string ReplicasReady = "ReplicasReady";

    protected override async Task<ReconcileResult> ReconcileAsync(Api.DevMachinePool obj, ReconcileContext context, CancellationToken ct)
    {
        var now = context.Now;
        var ns = obj.Metadata.NamespaceProperty;
        if (obj.Metadata.IsDeleting())
            return await DeleteAsync(obj, ct);

        var poolName = obj.Metadata.ControllerOfKind(CapiGroups.Core, Api.MachinePool.KubeKind)?.Name;
        var pool = poolName is null ? null : await Kube.GetAsync<Api.MachinePool>(ns, poolName, ct);
        if (pool is null)
        {
            SetReady(obj, false, CommonReasons.NotReady, "Waiting for the MachinePool controller to set the owner reference", now);
            return ReconcileResult.Done("waiting for the owning MachinePool");
        }
        if (obj.Spec.Backend?.InMemory is not { } backend)
        {
            SetReady(obj, false, CommonReasons.NotReady, "Only spec.backend.inMemory is supported", now);
            return ReconcileResult.Done("unsupported backend");
        }
        if (pool.Spec.Template.Spec.Bootstrap.DataSecretName is null)
        {
            SetReady(obj, false, CommonReasons.NotReady, "Waiting for the MachinePool's bootstrap data", now);
            return ReconcileResult.Done("waiting for bootstrap data");
        }

        // Before any instance exists, so none can outlive this pool unnoticed.
        await PersistFinalizerAsync(obj, CapiFinalizers.DevMachinePool, ct);
        var desired = pool.Spec.Replicas ?? 1;
        var instances = await InstancesAsync(obj, pool, ct);
        var live = instances.Where(d => !d.Metadata.IsDeleting()).ToList();
        var taken = instances.Select(d => d.Metadata.Name).ToHashSet(StringComparer.Ordinal);
        for (var next = 0; live.Count < desired; next++)
        {
            var name = $"{obj.Metadata.Name}-{next.ToString(CultureInfo.InvariantCulture)}";
            if (taken.Contains(name)) continue;
            var created = await Kube.CreateOrGetAsync(Instance(obj, pool, backend, name), ct);
            Logger.LogInformation("DevMachinePool {Namespace}/{Name}: instance {Instance} created", ns, obj.Metadata.Name, name);
            live.Add(created);
            instances.Add(created);
            taken.Add(name);
        }
        if (live.Count > desired)
            await ScaleDownAsync(obj, live, desired, ct);

        obj.Spec.ProviderId ??= $"in-memory://{ns}/{pool.Spec.ClusterName}/{obj.Metadata.Name}";
        var providerIds = instances.Select(d => d.Spec.ProviderId).OfType<string>().Order(StringComparer.Ordinal).ToList();
        obj.Spec.ProviderIdList = providerIds;
        obj.Status.Replicas = instances.Count;
        obj.Status.InfrastructureMachineKind = Api.DevMachine.KubeKind;
        obj.Status.ObservedGeneration = obj.Metadata.Generation;
        obj.Status.Instances = instances.OrderBy(d => d.Metadata.Name, StringComparer.Ordinal).Select(d => new DevMachinePoolInstanceStatus
        {
            InstanceName = d.Metadata.Name,
            ProviderId = d.Spec.ProviderId,
            Addresses = d.Status.Addresses,
            Version = pool.Spec.Template.Spec.Version,
            Ready = d.Status.Initialization?.Provisioned == true,
        }).ToList();
        // As CAPI's provider: ready once every wanted instance has a provider ID, and ready it stays while scaling.
        if (providerIds.Count == desired && instances.Count == desired)
        {
            obj.Status.Ready = true;
            SetReady(obj, true, CommonReasons.Ready, "", now);
        }
        else if (obj.Status.Ready != true)
        {
            SetReady(obj, false, CommonReasons.NotReady, $"{providerIds.Count} of {desired} instances have a provider ID", now);
        }
        return ReconcileResult.Done($"{providerIds.Count}/{desired}");
    }

    private async Task<List<Api.DevMachine>> InstancesAsync(Api.DevMachinePool obj, Api.MachinePool pool, CancellationToken ct) =>
        (await Kube.ListAsync<Api.DevMachine>(obj.Metadata.NamespaceProperty,
            $"{CapiLabels.ClusterName}={pool.Spec.ClusterName},{CapiLabels.PoolName}={LabelValues.Format(pool.Metadata.Name)}", ct: ct))
        .Where(d => d.Metadata.OwnerReferences?.Any(o => o.Uid == obj.Metadata.Uid) == true)
        .ToList();

    private static Api.DevMachine Instance(Api.DevMachinePool obj, Api.MachinePool pool, InMemoryMachineBackendSpec backend, string name) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            NamespaceProperty = obj.Metadata.NamespaceProperty,
            Labels = new Dictionary<string, string>
            {
                [CapiLabels.ClusterName] = pool.Spec.ClusterName,
                [CapiLabels.PoolName] = LabelValues.Format(pool.Metadata.Name),
            },
            // Not the controller: the Machine the MachinePool makes for this instance takes that role.
            OwnerReferences = [OwnerReferences.For(CapiGroups.InfrastructureApiVersion, Api.DevMachinePool.KubeKind, obj.Metadata, controller: false)],
        },
        Spec = new DevMachineSpec { Backend = new DevMachineBackendSpec { InMemory = backend } },
    };

    /// <summary>Deletes the Machines of the instances beyond <paramref name="keep"/> (a Machine's deletion drains its Node and
    /// deletes the DevMachine and its VM); an instance without a Machine yet is deleted directly. Instances whose Machine
    /// is already going count as gone, so a later reconcile never picks a second victim for the same surplus.</summary>
    private async Task ScaleDownAsync(Api.DevMachinePool obj, List<Api.DevMachine> live, int keep, CancellationToken ct)
    {
        var ns = obj.Metadata.NamespaceProperty;
        var candidates = new List<(Api.DevMachine Instance, Api.Machine? Machine)>();
        foreach (var d in live)
        {
            var machineName = d.Metadata.ControllerOfKind(CapiGroups.Core, Api.Machine.KubeKind)?.Name;
            var machine = machineName is null ? null : await Kube.GetAsync<Api.Machine>(ns, machineName, ct);
            if (machine?.Metadata.IsDeleting() != true) candidates.Add((d, machine));
        }
        var count = candidates.Count - keep;
        if (count <= 0) return;
        var victims = candidates
            .OrderByDescending(c => c.Machine?.Metadata.Annotations?.ContainsKey(CapiAnnotations.DeleteMachine) == true
                                    || c.Instance.Metadata.Annotations?.ContainsKey(CapiAnnotations.DeleteMachine) == true)
            .ThenBy(c => c.Instance.Status.Initialization?.Provisioned == true)
            .ThenByDescending(c => c.Instance.Metadata.CreationTimestamp)
            .ThenByDescending(c => c.Instance.Metadata.Name, StringComparer.Ordinal)
            .Take(count);
        foreach (var (instance, machine) in victims)
        {
            if (machine is not null)
                await Kube.DeleteAsync<Api.Machine>(ns, machine.Metadata.Name, machine.Metadata.Uid, ct: ct);
            else
                await Kube.DeleteAsync<Api.DevMachine>(ns, instance.Metadata.Name, instance.Metadata.Uid, ct: ct);
            Logger.LogInformation("DevMachinePool {Namespace}/{Name}: scaling down, deleting instance {Instance}", ns, obj.Metadata.Name, instance.Metadata.Name);
        }
    }

    private async Task<ReconcileResult> DeleteAsync(Api.DevMachinePool obj, CancellationToken ct)
    {
        if (obj.Metadata.Finalizers?.Contains(CapiFinalizers.DevMachinePool) != true)
            return ReconcileResult.Done("deleted");
        var ns = obj.Metadata.NamespaceProperty;
        var instances = (await Kube.ListAsync<Api.DevMachine>(ns, CapiLabels.PoolName, ct: ct))
            .Where(d => d.Metadata.OwnerReferences?.Any(o => o.Uid == obj.Metadata.Uid) == true)
            .ToList();
        if (instances.Count > 0)
        {
            await ScaleDownAsync(obj, instances.Where(d => !d.Metadata.IsDeleting()).ToList(), 0, ct);
            return ProviderTiming.PollDeletion("waiting for the instances to go");
        }
        obj.Metadata.RemoveFinalizer(CapiFinalizers.DevMachinePool);
        Logger.LogInformation("DevMachinePool {Namespace}/{Name}: every instance deleted", ns, obj.Metadata.Name);
        return ReconcileResult.Done("deleted");
    }

    private static void SetReady(Api.DevMachinePool obj, bool ready, string reason, string message, DateTimeOffset now)
    {
        Conditions.Set(obj.Status, ReplicasReady, ConditionStatus.Of(ready), ready ? CommonReasons.Ready : CommonReasons.NotReady, message,
            obj.Metadata.Generation, now.UtcDateTime);
        Conditions.Set(obj.Status, DevMachineConditions.Ready, ConditionStatus.Of(ready), reason, message, obj.Metadata.Generation, now.UtcDateTime);
    }
}
