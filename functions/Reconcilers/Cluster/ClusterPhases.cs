using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.Ownership;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.Clusters;

/// <summary>The Cluster's phases: infrastructure, control plane, descendants, kubeconfig, connection probe.</summary>
public sealed partial class ClusterReconciler
{
    private async Task<ReconcileResult> ReconcileInfrastructureAsync(ClusterScope s, CancellationToken ct)
    {
        var c = s.Cluster;
        if (c.Spec.InfrastructureRef is not { IsDefined: true } infraRef)
        {
            Initialization(c).InfrastructureProvisioned = true;
            return ReconcileResult.Done();
        }
        var infra = await Kube.GetAsync(c.Metadata.NamespaceProperty, infraRef, ct);
        if (infra is null)
        {
            s.InfraClusterNotFound = true;
            return s.IsDeleting ? ReconcileResult.Done() : ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(c.Metadata.CreationTimestamp), s.Now));
        }
        s.InfraCluster = infra = await EnsureOwnedAsync(c, infra, ct);
        if (ExternalObjects.IsDeleting(infra)) return ReconcileResult.Done();

        if (c.Spec.ControlPlaneEndpoint is not { IsValid: true } && EndpointOf(infra) is { } endpoint)
            c.Spec.ControlPlaneEndpoint = endpoint;
        if (infra["status"]?["failureDomains"] is JsonArray domains)
        {
            c.Status.FailureDomains = domains.OfType<JsonObject>()
                .Select(d => new FailureDomain
                {
                    Name = ExternalObjects.Text(d, "name") ?? "",
                    ControlPlane = d["controlPlane"] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null,
                })
                .Where(d => d.Name.Length > 0)
                .ToList();
        }
        if (ExternalObjects.Flag(infra, "status", "initialization", "provisioned") || ExternalObjects.Flag(infra, "status", "ready"))
        {
            if (c.Status.Initialization?.InfrastructureProvisioned != true)
            {
                Logger.LogInformation("Cluster {Namespace}/{Name}: infrastructure provisioned", c.Metadata.NamespaceProperty, c.Metadata.Name);
                await NormalEventAsync(c, "InfrastructureReady", "Provision", $"Cluster {c.Metadata.Name} InfrastructureProvisioned is now True", ct);
            }
            Initialization(c).InfrastructureProvisioned = true;
        }
        return ReconcileResult.Done(); // The infrastructure cluster's changes wake us.
    }

    private async Task<ReconcileResult> ReconcileControlPlaneAsync(ClusterScope s, CancellationToken ct)
    {
        var c = s.Cluster;
        if (c.Spec.ControlPlaneRef is not { IsDefined: true } cpRef) return ReconcileResult.Done();
        var cp = await Kube.GetAsync(c.Metadata.NamespaceProperty, cpRef, ct);
        if (cp is null)
        {
            s.ControlPlaneNotFound = true;
            return s.IsDeleting ? ReconcileResult.Done() : ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(c.Metadata.CreationTimestamp), s.Now));
        }
        s.ControlPlane = cp = await EnsureOwnedAsync(c, cp, ct);
        if (ExternalObjects.IsDeleting(cp)) return ReconcileResult.Done();

        // A managed control plane may bring its own endpoint.
        if (c.Spec.ControlPlaneEndpoint is not { IsValid: true } && EndpointOf(cp) is { } endpoint)
            c.Spec.ControlPlaneEndpoint = endpoint;
        if (ExternalObjects.Flag(cp, "status", "initialization", "controlPlaneInitialized") || ExternalObjects.Flag(cp, "status", "initialized"))
        {
            if (c.Status.Initialization?.ControlPlaneInitialized != true)
            {
                Logger.LogInformation("Cluster {Namespace}/{Name}: control plane initialized", c.Metadata.NamespaceProperty, c.Metadata.Name);
                await NormalEventAsync(c, "ControlPlaneInitialized", "Initialize", $"Cluster {c.Metadata.Name} ControlPlaneInitialized is now True", ct);
            }
            Initialization(c).ControlPlaneInitialized = true;
        }
        return ReconcileResult.Done();
    }

    private async Task<ReconcileResult> ReadDescendantsAsync(ClusterScope s, CancellationToken ct)
    {
        var ns = s.Cluster.Metadata.NamespaceProperty;
        var selector = $"{CapiLabels.ClusterName}={s.Cluster.Metadata.Name}";
        s.DescendantsRead = false;
        s.Machines = await Kube.ListAsync<Api.Machine>(ns, selector, ct: ct);
        s.MachineSets = await Kube.ListAsync<MachineSet>(ns, selector, ct: ct);
        s.MachineDeployments = await Kube.ListAsync<MachineDeployment>(ns, selector, ct: ct);
        s.DescendantsRead = true;
        return ReconcileResult.Done();
    }

    /// <summary>The kubeconfig Secret written by the control plane provider goes with the Cluster: an owner
    /// reference lets the garbage collector delete it once the Cluster is gone.</summary>
    private async Task<ReconcileResult> ReconcileKubeconfigOwnerAsync(ClusterScope s, CancellationToken ct)
    {
        var c = s.Cluster;
        var name = WorkloadClusters.KubeconfigSecretName(c.Metadata.Name);
        var secret = await Kube.GetAsync<V1Secret>(c.Metadata.NamespaceProperty, name, ct);
        if (secret is null || secret.Metadata.OwnerReferences?.Any(o => o.Uid == c.Metadata.Uid) == true) return ReconcileResult.Done();
        var owners = new JsonArray();
        foreach (var o in secret.Metadata.OwnerReferences ?? [])
            owners.Add(JsonNode.Parse(k8s.KubernetesJson.Serialize(o)));
        owners.Add(OwnerRefs.ToJson(OwnerRefs.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, c.Metadata, controller: false)));
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = secret.Metadata.ResourceVersion, ["ownerReferences"] = owners },
        };
        await Kube.MergePatchAsync<V1Secret>(c.Metadata.NamespaceProperty, name, patch, ct: ct);
        return ReconcileResult.Done();
    }

    private async Task<ReconcileResult> ProbeAsync(ClusterScope s, CancellationToken ct)
    {
        var c = s.Cluster;
        if (c.Status.Initialization?.ControlPlaneInitialized != true) return ReconcileResult.Done();
        s.Probe = await workloads.ProbeAsync(c.Metadata.NamespaceProperty, c.Metadata.Name, ct);
        // A healthy cluster is looked at again by the probe timer (WorkloadProber), which wakes this workflow only
        // when what the workload cluster says changes; a failing one retries here until it answers.
        if (s.Probe.Succeeded) return ReconcileResult.Done();
        var lastChange = Conditions.Get(c.Status, ClusterConditions.RemoteConnectionProbe)?.LastTransitionTime;
        return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(lastChange), s.Now));
    }

    /// <summary>Makes the Cluster the controller owner of its infrastructure cluster or control plane.</summary>
    private async Task<JsonObject> EnsureOwnedAsync(Api.Cluster c, JsonObject obj, CancellationToken ct)
    {
        var owners = OwnerReferences.WithController(obj, OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, c.Metadata, controller: true), []);
        var hasLabel = ExternalObjects.Text(obj, "metadata", "labels", CapiLabels.ClusterName) == c.Metadata.Name;
        if (owners is null && hasLabel) return obj;
        var metadata = new JsonObject();
        if (owners is not null) metadata["ownerReferences"] = owners;
        if (!hasLabel) metadata["labels"] = new JsonObject { [CapiLabels.ClusterName] = c.Metadata.Name };
        return await Kube.PatchAsync(obj, new JsonObject { ["metadata"] = metadata }, ct);
    }

    private static ApiEndpoint? EndpointOf(JsonObject obj)
    {
        var host = ExternalObjects.Text(obj, "spec", "controlPlaneEndpoint", "host");
        var port = obj["spec"]?["controlPlaneEndpoint"]?["port"] is JsonValue v && v.TryGetValue<int>(out var p) ? p : 0;
        return host is not null && port > 0 ? new ApiEndpoint { Host = host, Port = port } : null;
    }

    private static ClusterInitializationStatus Initialization(Api.Cluster c) => c.Status.Initialization ??= new ClusterInitializationStatus();
}
