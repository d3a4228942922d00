using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.MachinePools;

/// <summary>The provisioning phases: ownership, bootstrap data, infrastructure MachinePool.</summary>
public sealed partial class MachinePoolReconciler
{
    /// <summary>The Cluster owns the pool (not as controller) and the pool carries the cluster-name label.</summary>
    private Task<ReconcileResult> ReconcileOwnerAndLabelsAsync(MachinePoolScope s, CancellationToken ct)
    {
        var pool = s.Pool;
        pool.Metadata.Labels ??= new Dictionary<string, string>();
        pool.Metadata.Labels[CapiLabels.ClusterName] = pool.Spec.ClusterName;
        if (s.Cluster is { } cluster)
            OwnerReferences.Ensure(pool.Metadata, OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, cluster.Metadata, controller: false));
        return Task.FromResult(ReconcileResult.Done());
    }

    private async Task<ReconcileResult> ReconcileBootstrapAsync(MachinePoolScope s, CancellationToken ct)
    {
        var pool = s.Pool;
        var bootstrap = pool.Spec.Template.Spec.Bootstrap;
        if (bootstrap.ConfigRef is not { IsDefined: true } configRef)
        {
            if (bootstrap.DataSecretName is null)
            {
                throw new KubeApiException(System.Net.HttpStatusCode.UnprocessableEntity, "Invalid",
                    "neither spec.template.spec.bootstrap.configRef nor spec.template.spec.bootstrap.dataSecretName is set");
            }
            Initialization(pool).BootstrapDataSecretCreated = true;
            return ReconcileResult.Done();
        }

        var config = await Kube.GetAsync(s.Namespace, configRef, ct);
        if (config is null)
        {
            s.BootstrapConfigNotFound = true;
            Logger.LogInformation("MachinePool {Namespace}/{Name} waits for {Kind} {Config} to exist", s.Namespace, pool.Metadata.Name, configRef.Kind, configRef.Name);
            return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(pool.Metadata.CreationTimestamp), s.Now));
        }
        s.BootstrapConfig = config = await EnsureOwnedAsync(s, config, ct);
        if (ExternalObjects.IsDeleting(config)) return ReconcileResult.Done();

        var created = ExternalObjects.Flag(config, "status", "initialization", "dataSecretCreated") || ExternalObjects.Flag(config, "status", "ready");
        if (!created)
        {
            Initialization(pool).BootstrapDataSecretCreated = false;
            return ReconcileResult.Done(); // The config's own change wakes us.
        }
        bootstrap.DataSecretName = ExternalObjects.Text(config, "status", "dataSecretName")
                                   ?? throw new KubeApiException(System.Net.HttpStatusCode.UnprocessableEntity, "Invalid",
                                       $"{configRef.Kind} {configRef.Name} reports its data secret created but no status.dataSecretName");
        Initialization(pool).BootstrapDataSecretCreated = true;
        return ReconcileResult.Done();
    }

    private async Task<ReconcileResult> ReconcileInfrastructureAsync(MachinePoolScope s, CancellationToken ct)
    {
        var pool = s.Pool;
        var infraRef = pool.Spec.Template.Spec.InfrastructureRef;
        var infra = await Kube.GetAsync(s.Namespace, infraRef, ct);
        if (infra is null)
        {
            s.InfraPoolNotFound = true;
            if (pool.Status.Initialization?.InfrastructureProvisioned == true)
            {
                // The provider's pool is gone under a provisioned MachinePool: a terminal fault for v1beta1 readers.
                var v1 = V1Beta1(pool);
                v1.FailureReason = "InvalidConfiguration";
                v1.FailureMessage = $"MachinePool infrastructure resource {infraRef.Kind} {s.Namespace}/{infraRef.Name} has been deleted after being ready";
                return ReconcileResult.Done();
            }
            return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(pool.Metadata.CreationTimestamp), s.Now));
        }
        s.InfraPool = infra = await EnsureOwnedAsync(s, infra, ct);
        if (ExternalObjects.IsDeleting(infra)) return ReconcileResult.Done();

        var ready = ExternalObjects.Flag(infra, "status", "initialization", "provisioned") || ExternalObjects.Flag(infra, "status", "ready");
        Initialization(pool).InfrastructureProvisioned = ready;
        await ReadNodesAsync(s, ct);

        if (!ready) return ReconcileResult.Done(); // The infrastructure pool's change wakes us.

        var providerIds = (infra["spec"]?["providerIDList"] as JsonArray ?? []).Select(n => n?.GetValue<string>()).OfType<string>().ToList();
        if (infra["status"]?["replicas"] is JsonValue replicas && replicas.TryGetValue<int>(out var count))
            pool.Status.Replicas = count;
        if (providerIds.Count == 0 && (pool.Status.Replicas ?? 0) != 0)
        {
            Logger.LogInformation("MachinePool {Namespace}/{Name}: the infrastructure reports {Replicas} replicas but no provider IDs yet",
                s.Namespace, pool.Metadata.Name, pool.Status.Replicas);
            return ReconcileResult.Done();
        }
        if (!(pool.Spec.ProviderIdList ?? []).SequenceEqual(providerIds))
        {
            pool.Spec.ProviderIdList = providerIds.Count == 0 ? null : providerIds;
            // The node references are recomputed from the new list.
            var v1 = V1Beta1(pool);
            v1.ReadyReplicas = 0;
            v1.AvailableReplicas = 0;
            v1.UnavailableReplicas = pool.Status.Replicas ?? 0;
        }
        return ReconcileResult.Done();
    }

    /// <summary>The workload cluster's Nodes by provider ID, once its kubeconfig exists (none yet: left unread).</summary>
    private async Task ReadNodesAsync(MachinePoolScope s, CancellationToken ct)
    {
        s.Workload = await workloads.GetAsync(s.Namespace, s.Pool.Spec.ClusterName, ct);
        if (s.Workload is null) return;
        var nodes = await s.Workload.ListAsync<V1Node>(null, ct: ct);
        s.NodesByProviderId = nodes.Where(n => !string.IsNullOrEmpty(n.Spec?.ProviderID))
            .GroupBy(n => n.Spec.ProviderID, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
    }

    /// <summary>Makes the pool the controller owner of its bootstrap config or infrastructure MachinePool and labels it with
    /// the cluster name, so its events reach this reconciler and it is garbage collected with the pool.</summary>
    private async Task<JsonObject> EnsureOwnedAsync(MachinePoolScope s, JsonObject obj, CancellationToken ct)
    {
        var pool = s.Pool;
        var owners = OwnerReferences.WithController(obj, OwnerReferences.For(CapiGroups.CoreApiVersion, Api.MachinePool.KubeKind, pool.Metadata, controller: true), []);
        var hasLabel = ExternalObjects.Text(obj, "metadata", "labels", CapiLabels.ClusterName) == pool.Spec.ClusterName;
        if (owners is null && hasLabel) return obj;

        var metadata = new JsonObject();
        if (owners is not null) metadata["ownerReferences"] = owners;
        if (!hasLabel) metadata["labels"] = new JsonObject { [CapiLabels.ClusterName] = pool.Spec.ClusterName };
        return await Kube.PatchAsync(obj, new JsonObject { ["metadata"] = metadata }, ct);
    }

    internal static MachinePoolInitializationStatus Initialization(Api.MachinePool pool) => pool.Status.Initialization ??= new MachinePoolInitializationStatus();

    internal static MachinePoolV1Beta1Status V1Beta1(Api.MachinePool pool)
    {
        pool.Status.Deprecated ??= new MachinePoolDeprecatedStatus();
        return pool.Status.Deprecated.V1Beta1 ??= new MachinePoolV1Beta1Status();
    }
}
