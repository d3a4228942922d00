using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Machine;

/// <summary>The provisioning phases: ownership, bootstrap data, infrastructure.</summary>
public sealed partial class MachineReconciler
{
    /// <summary>A stand-alone Machine is owned by its Cluster; every Machine carries the cluster-name label.</summary>
    private Task<ReconcileResult> ReconcileOwnerAndLabelsAsync(MachineScope s, CancellationToken ct)
    {
        var m = s.Machine;
        if (s.Cluster is { } cluster && OwnerReferences.ControllerOf(m.Metadata) is null)
            OwnerReferences.Ensure(m.Metadata, OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, cluster.Metadata, controller: false));
        m.Metadata.Labels ??= new Dictionary<string, string>();
        m.Metadata.Labels[CapiLabels.ClusterName] = m.Spec.ClusterName;
        return Task.FromResult(ReconcileResult.Done());
    }

    private async Task<ReconcileResult> ReconcileBootstrapAsync(MachineScope s, CancellationToken ct)
    {
        var m = s.Machine;
        var configRef = m.Spec.Bootstrap.ConfigRef;
        if (configRef is null || !configRef.IsDefined)
        {
            // User-provided bootstrap data: nothing to wait for once the Secret is named.
            if (m.Spec.Bootstrap.DataSecretName is not null) Initialization(m).BootstrapDataSecretCreated = true;
            MachineCertificatesExpiry.Apply(m, null);
            return ReconcileResult.Done();
        }

        var config = await Kube.GetAsync(m.Metadata.NamespaceProperty, configRef, ct);
        if (config is null)
        {
            s.BootstrapConfigNotFound = true;
            if (s.IsDeleting) return ReconcileResult.Done();
            Logger.LogInformation("Machine {Namespace}/{Name} waits for {Kind} {Config} to exist", m.Metadata.NamespaceProperty, m.Metadata.Name, configRef.Kind, configRef.Name);
            return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(m.Metadata.CreationTimestamp), s.Now));
        }
        s.BootstrapConfig = await EnsureOwnedAsync(s, config, ct);
        MachineCertificatesExpiry.Apply(m, s.BootstrapConfig);

        if (m.Spec.Bootstrap.DataSecretName is not null)
        {
            Initialization(m).BootstrapDataSecretCreated = true;
            return ReconcileResult.Done();
        }
        if (ExternalObjects.IsDeleting(config)) return ReconcileResult.Done();

        var created = ExternalObjects.Flag(config, "status", "initialization", "dataSecretCreated") || ExternalObjects.Flag(config, "status", "ready");
        if (!created) return ReconcileResult.Done(); // The config's own change wakes us.

        var secretName = ExternalObjects.Text(config, "status", "dataSecretName")
                         ?? throw new KubeApiException(System.Net.HttpStatusCode.UnprocessableEntity, "Invalid",
                             $"{configRef.Kind} {configRef.Name} reports its data secret created but no status.dataSecretName");
        m.Spec.Bootstrap.DataSecretName = secretName;
        Initialization(m).BootstrapDataSecretCreated = true;
        return ReconcileResult.Done();
    }

    private async Task<ReconcileResult> ReconcileInfrastructureAsync(MachineScope s, CancellationToken ct)
    {
        var m = s.Machine;
        var infraRef = m.Spec.InfrastructureRef;
        var infra = await Kube.GetAsync(m.Metadata.NamespaceProperty, infraRef, ct);
        if (infra is null)
        {
            s.InfraMachineNotFound = true;
            if (s.IsDeleting) return ReconcileResult.Done();
            if (m.Status.Initialization?.InfrastructureProvisioned == true)
            {
                // The host is gone under a provisioned Machine: a terminal fault for v1beta1 readers.
                m.Status.Deprecated ??= new MachineDeprecatedStatus();
                m.Status.Deprecated.V1Beta1 ??= new MachineV1Beta1Status();
                m.Status.Deprecated.V1Beta1.FailureReason = "InvalidConfiguration";
                m.Status.Deprecated.V1Beta1.FailureMessage =
                    $"Machine infrastructure resource {infraRef.Kind} {m.Metadata.NamespaceProperty}/{infraRef.Name} has been deleted after provisioning was completed";
                return ReconcileResult.Done();
            }
            return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(m.Metadata.CreationTimestamp), s.Now));
        }
        s.InfraMachine = infra = await EnsureOwnedAsync(s, infra, ct);
        if (ExternalObjects.IsDeleting(infra)) return ReconcileResult.Done();

        var provisioned = ExternalObjects.Flag(infra, "status", "initialization", "provisioned") || ExternalObjects.Flag(infra, "status", "ready");
        if (!provisioned && m.Status.Initialization?.InfrastructureProvisioned != true)
            return ReconcileResult.Done(); // The infrastructure machine's change wakes us.

        if (ExternalObjects.Text(infra, "spec", "providerID") is not { } providerId)
            return ReconcileResult.Requeue(TimeSpan.FromSeconds(5));

        if (infra["status"]?["addresses"] is JsonArray addresses)
        {
            m.Status.Addresses = addresses.OfType<JsonObject>()
                .Select(a => new MachineAddress { Type = ExternalObjects.Text(a, "type") ?? MachineAddress.InternalIP, Address = ExternalObjects.Text(a, "address") ?? "" })
                .ToList();
        }
        if (ExternalObjects.Text(infra, "spec", "failureDomain") is { } specDomain) m.Spec.FailureDomain = specDomain;
        if (ExternalObjects.Text(infra, "status", "failureDomain") is { } domain) m.Status.FailureDomain = domain;
        m.Spec.ProviderId = providerId;
        Initialization(m).InfrastructureProvisioned = true;
        return ReconcileResult.Done();
    }

    /// <summary>Makes the Machine the controller owner of its bootstrap config or infrastructure machine and
    /// labels it with the cluster name, so its events reach this workflow and it is garbage collected with it.</summary>
    private async Task<JsonObject> EnsureOwnedAsync(MachineScope s, JsonObject obj, CancellationToken ct)
    {
        var m = s.Machine;
        // The creator (MachineSet or control plane) may have set itself as owner on create; the Machine takes over.
        var onCreateOwners = OwnerReferences.ControllerOf(m.Metadata) is { } creator ? new[] { creator.Uid } : [];
        var owners = OwnerReferences.WithController(obj, OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Machine.KubeKind, m.Metadata, controller: true), onCreateOwners);
        var hasLabel = ExternalObjects.Text(obj, "metadata", "labels", CapiLabels.ClusterName) == m.Spec.ClusterName;
        if (owners is null && hasLabel) return obj;

        var metadata = new JsonObject();
        if (owners is not null) metadata["ownerReferences"] = owners;
        if (!hasLabel) metadata["labels"] = new JsonObject { [CapiLabels.ClusterName] = m.Spec.ClusterName };
        return await Kube.PatchAsync(obj, new JsonObject { ["metadata"] = metadata }, ct);
    }

    private static MachineInitializationStatus Initialization(Api.Machine m) => m.Status.Initialization ??= new MachineInitializationStatus();
}
