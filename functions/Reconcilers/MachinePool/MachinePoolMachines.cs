using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.MachineSets;

namespace ServerlessCapi.Reconcilers.MachinePools;

/// <summary>MachinePool Machines: when the infrastructure MachinePool reports the kind of its per-instance objects, each
/// instance gets a Machine (named like it, controlled by the pool, labelled with the pool name) so Machine-level tooling
/// (health checks, drain, <c>kubectl get machines</c>) sees the pool's hosts.</summary>
public sealed partial class MachinePoolReconciler
{
    private async Task<ReconcileResult> ReconcileMachinesAsync(MachinePoolScope s, CancellationToken ct)
    {
        var pool = s.Pool;
        var selector = PoolSelector(pool);
        if (s.InfraPool is { } infra && ExternalObjects.Text(infra, "status", "infrastructureMachineKind") is { } machineKind)
        {
            s.HasMachinePoolMachines = true;
            var infraMachines = await ListInfraMachinesAsync(s, ExternalObjects.Text(infra, "apiVersion"), machineKind, selector, ct);
            var existing = (await Kube.ListAsync<Api.Machine>(s.Namespace, selector, ct: ct))
                .ToDictionary(m => m.Spec.InfrastructureRef.Name, StringComparer.Ordinal);
            foreach (var infraMachine in infraMachines)
            {
                var name = ExternalObjects.Text(infraMachine, "metadata", "name")!;
                var providerId = ExternalObjects.Text(infraMachine, "spec", "providerID");
                var node = providerId is not null && s.NodesByProviderId?.GetValueOrDefault(providerId) is { } n ? n : null;
                var version = node?.Status?.NodeInfo?.KubeletVersion is { Length: > 0 } v ? v : null;
                if (existing.TryGetValue(name, out var machine))
                {
                    if (version is not null && machine.Spec.Version != version)
                        await Kube.MergePatchAsync<Api.Machine>(s.Namespace, machine.Metadata.Name, new JsonObject { ["spec"] = new JsonObject { ["version"] = version } }, ct: ct);
                    continue;
                }
                if (ExternalObjects.IsDeleting(infraMachine)) continue;
                await Kube.CreateOrGetAsync(DesiredMachine(pool, infraMachine, version), ct);
                Logger.LogInformation("MachinePool {Namespace}/{Name}: created Machine for {Kind} {Instance}", s.Namespace, pool.Metadata.Name, machineKind, name);
            }
        }

        // Machines another controller owns are not the pool's, whatever their labels say.
        s.Machines = (await Kube.ListAsync<Api.Machine>(s.Namespace, selector, ct: ct))
            .Where(m => OwnerReferences.ControllerOf(m.Metadata) is not { } c || c.Uid == pool.Metadata.Uid)
            .ToList();
        return ReconcileResult.Done();
    }

    /// <summary>The Machine of one infrastructure machine instance: bootstrap data comes from the pool (an empty data
    /// secret name), the version from the instance's Node once it has one.</summary>
    internal static Api.Machine DesiredMachine(Api.MachinePool pool, JsonObject infraMachine, string? version)
    {
        var name = ExternalObjects.Text(infraMachine, "metadata", "name")!;
        var labels = new Dictionary<string, string>(pool.Spec.Template.Metadata?.Labels ?? [], StringComparer.Ordinal)
        {
            [CapiLabels.PoolName] = LabelValues.Format(pool.Metadata.Name),
            [CapiLabels.ClusterName] = pool.Spec.ClusterName,
        };
        return new Api.Machine
        {
            Metadata = new k8s.Models.V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = pool.Metadata.NamespaceProperty,
                Labels = labels,
                Annotations = pool.Spec.Template.Metadata?.Annotations is { } a ? new Dictionary<string, string>(a, StringComparer.Ordinal) : null,
                OwnerReferences = [OwnerReferences.For(CapiGroups.CoreApiVersion, Api.MachinePool.KubeKind, pool.Metadata, controller: true)],
            },
            Spec = new MachineSpec
            {
                ClusterName = pool.Spec.ClusterName,
                Bootstrap = new MachineBootstrap { DataSecretName = "" },
                InfrastructureRef = new ContractVersionedObjectReference
                {
                    ApiGroup = ContractVersionedObjectReference.GroupOf(ExternalObjects.Text(infraMachine, "apiVersion")),
                    Kind = ExternalObjects.Text(infraMachine, "kind")!,
                    Name = name,
                },
                Version = version,
            },
        };
    }

    private async Task<IReadOnlyList<JsonObject>> ListInfraMachinesAsync(MachinePoolScope s, string? apiVersion, string kind, string selector, CancellationToken ct)
    {
        var info = CapiKinds.Find(apiVersion, kind)
                   ?? throw new KubeApiException(System.Net.HttpStatusCode.UnprocessableEntity, "Invalid",
                       $"the infrastructure MachinePool reports machine kind {kind} ({apiVersion}), which is not served");
        var list = await Kube.SendAsync<JsonObject>(HttpMethod.Get,
            $"{info.CollectionPath(s.Namespace)}?labelSelector={Uri.EscapeDataString(selector)}", null, null, ct);
        return (list?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
    }

    /// <summary>CAPI marks every Machine of a pool up to date unless it is being deleted (a pool rolls out through its
    /// provider, not through Machines).</summary>
    private async Task<ReconcileResult> ReconcileMachinesUpToDateAsync(MachinePoolScope s, CancellationToken ct)
    {
        var updated = new List<Api.Machine>();
        foreach (var machine in s.Machines)
        {
            var deleting = machine.Metadata.DeletionTimestamp is not null;
            var condition = new Condition
            {
                Type = MachineConditions.UpToDate,
                Status = deleting ? ConditionStatus.False : ConditionStatus.True,
                Reason = deleting ? CommonReasons.NotUpToDate : CommonReasons.UpToDate,
                Message = deleting ? "Machine is being deleted" : "",
            };
            updated.Add(await MachineConditionPatch.ApplyAsync(Kube, machine, [condition], [], s.Now.UtcDateTime, ct) ?? machine);
        }
        s.Machines = updated;
        return ReconcileResult.Done();
    }

    internal static string PoolSelector(Api.MachinePool pool) =>
        $"{CapiLabels.PoolName}={LabelValues.Format(pool.Metadata.Name)},{CapiLabels.ClusterName}={pool.Spec.ClusterName}";
}
