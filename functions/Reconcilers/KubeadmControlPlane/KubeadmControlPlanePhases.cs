using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.Bootstrap;
using ServerlessCapi.Providers.ControlPlane;
using ServerlessCapi.Providers.InMemory;
using ServerlessCapi.Reconcilers.ProviderCommon;

namespace ServerlessCapi.Reconcilers.KubeadmControlPlane;

/// <summary>The steps of a control-plane reconcile.</summary>
public sealed partial class KubeadmControlPlaneReconciler
{
    /// <summary>Writes (or corrects) <c>&lt;cluster&gt;-kubeconfig</c>; its content never reaches a log line.</summary>
    private async Task EnsureKubeconfigAsync(Api.KubeadmControlPlane kcp, Api.Cluster cluster, CancellationToken ct)
    {
        var ns = cluster.Metadata.NamespaceProperty;
        var endpoint = cluster.Spec.ControlPlaneEndpoint!;
        // The cloud knows its workload server's exact URL (scheme and path prefix); any other provider gets the endpoint.
        var server = cloud is null
            ? $"https://{endpoint.Host}:{endpoint.Port}"
            : (await cloud.GetClusterAsync(ns, cluster.Metadata.Name, ct))?.Server
              ?? $"https://{endpoint.Host}:{endpoint.Port}/clusters/{InMemoryCloudNames.ClusterKey(ns, cluster.Metadata.Name)}";
        // The cluster's own token: it opens this workload cluster and no other.
        var token = string.IsNullOrEmpty(cloudSettings?.WorkloadToken)
            ? null
            : WorkloadClusterTokens.For(cloudSettings.WorkloadToken, InMemoryCloudNames.ClusterKey(ns, cluster.Metadata.Name));
        var value = Encoding.UTF8.GetBytes(WorkloadKubeconfig.Build(cluster.Metadata.Name, server, token));
        var wanted = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = WorkloadKubeconfig.SecretName(cluster.Metadata.Name),
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = cluster.Metadata.Name },
                OwnerReferences = [ObjectMetaExtensions.ControllerReference(CapiGroups.ControlPlaneApiVersion, Api.KubeadmControlPlane.KubeKind, kcp.Metadata)],
            },
            Type = BootstrapSecret.SecretType,
            Data = new Dictionary<string, byte[]> { [BootstrapSecret.ValueKey] = value },
        };
        var secret = await Kube.CreateOrGetAsync(wanted, ct);
        if (secret.Data?.TryGetValue(BootstrapSecret.ValueKey, out var current) == true && current.AsSpan().SequenceEqual(value))
            return;
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = secret.Metadata.ResourceVersion },
            ["data"] = new JsonObject { [BootstrapSecret.ValueKey] = Convert.ToBase64String(value) },
        };
        await Kube.MergePatchAsync<V1Secret>(ns, wanted.Metadata.Name, patch, ct: ct);
        Logger.LogInformation("Kubeconfig Secret {Namespace}/{Secret} updated", ns, wanted.Metadata.Name);
    }

    private async Task<ControlPlaneScope> ObserveAsync(Api.KubeadmControlPlane kcp, Api.Cluster cluster, DateTimeOffset now, CancellationToken ct)
    {
        var ns = kcp.Metadata.NamespaceProperty;
        var selector = ControlPlaneObjects.Selector(cluster.Metadata.Name);
        var machines = (await Kube.ListAsync<Api.Machine>(ns, selector, ct: ct))
            .Where(m => ControlPlaneScope.OwnedBy(m.Metadata, kcp.Metadata)).ToList();
        var configs = await Kube.ListAsync<Api.KubeadmConfig>(ns, selector, ct: ct);
        var infraRef = kcp.Spec.MachineTemplate.Spec.InfrastructureRef;
        var infraKind = ControlPlaneObjects.InfrastructureKind(infraRef.Kind);
        var infra = await ContractObjects.ListAsync(Kube, infraRef.ApiGroup, infraKind, ns, selector, ct);
        var template = await ContractObjects.GetAsync(Kube, infraRef.ApiGroup, infraRef.Kind, ns, infraRef.Name, ct);
        var nodes = await WorkloadNodes.ReadAsync(Kube, ns, cluster.Metadata.Name, ct);
        return new ControlPlaneScope
        {
            Kcp = kcp,
            Cluster = cluster,
            Machines = machines,
            Configs = new HashSet<string>(configs.Select(c => c.Metadata.Name), StringComparer.Ordinal),
            ConfigObjects = configs.ToDictionary(c => c.Metadata.Name, StringComparer.Ordinal),
            Now = now,
            InfraMachines = infra.ToDictionary(o => o["metadata"]!["name"]!.GetValue<string>(), StringComparer.Ordinal),
            InfraTemplate = template,
            Nodes = nodes,
        };
    }

    /// <summary>A step that stopped between creating a Machine and its parts left them missing: add them now.</summary>
    private async Task RepairMachinesAsync(ControlPlaneScope scope, CancellationToken ct)
    {
        foreach (var machine in scope.Active)
        {
            if (!scope.Configs.Contains(machine.Metadata.Name))
            {
                var init = !scope.Initialized && scope.Machines.Count == 1;
                await Kube.CreateOrGetAsync(ControlPlaneObjects.KubeadmConfig(scope.Kcp, machine, init), ct);
            }
            if (!scope.InfraMachines.ContainsKey(machine.Metadata.Name) && scope.InfraTemplate is { } template)
                await ContractObjects.CreateOrGetAsync(Kube, ControlPlaneObjects.InfrastructureMachine(template, scope.Kcp, machine), ct);
        }
    }

    private async Task CreateMachineAsync(ControlPlaneScope scope, bool init, CancellationToken ct)
    {
        if (scope.InfraTemplate is not { } template)
            return; // Reported by the status; the template's creation does not wake us, the requeue does.
        var kcp = scope.Kcp;
        var next = long.TryParse(kcp.Metadata.Annotation(NextOrdinalAnnotation), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        var (name, after) = MachineNames.Next(kcp.Metadata.Name, kcp.Metadata.Uid, next, scope.TakenNames(), kcp.Spec.MachineNaming?.Template, scope.ClusterName);

        try
        {
            // The Machine first (its uid owns the parts); its references name parts that follow at once.
            var machine = await Kube.CreateOrGetAsync(ControlPlaneObjects.Machine(kcp, scope.ClusterName, name), ct);
            await Kube.CreateOrGetAsync(ControlPlaneObjects.KubeadmConfig(kcp, machine, init), ct);
            await ContractObjects.CreateOrGetAsync(Kube, ControlPlaneObjects.InfrastructureMachine(template, kcp, machine), ct);
        }
        catch (KubeApiException e)
        {
            // CAPI's words: the first Machine initialises the control plane, the others scale it up.
            var cluster = $"{scope.Namespace}/{scope.ClusterName}";
            await (init
                ? WarningEventAsync(kcp, "FailedInitialization", "Create", $"Failed to create initial control plane Machine for cluster {cluster} control plane: {e.Message}", ct)
                : WarningEventAsync(kcp, "FailedScaleUp", "Create", $"Failed to create additional control plane Machine for cluster {cluster}: {e.Message}", ct));
            throw;
        }
        kcp.Metadata.Annotations ??= new Dictionary<string, string>();
        kcp.Metadata.Annotations[NextOrdinalAnnotation] = after.ToString(CultureInfo.InvariantCulture);
        Logger.LogInformation("KubeadmControlPlane {Namespace}/{Name}: created Machine {Machine} ({Role})",
            kcp.Metadata.NamespaceProperty, kcp.Metadata.Name, name, init ? "init" : "join");
        await NormalEventAsync(kcp, "SuccessfulCreate", "Create", $"Created control plane Machine \"{name}\"", ct);
    }

    private async Task DeleteMachineAsync(ControlPlaneScope scope, string name, CancellationToken ct)
    {
        var machine = scope.Machines.First(m => m.Metadata.Name == name);
        try
        {
            if (!await Kube.DeleteAsync<Api.Machine>(scope.Namespace, name, machine.Metadata.Uid, ct: ct)) return;
        }
        catch (KubeApiException e)
        {
            await WarningEventAsync(scope.Kcp, "FailedScaleDown", "Delete",
                $"Failed to delete control plane Machine {name} for cluster {scope.Namespace}/{scope.ClusterName} control plane: {e.Message}", ct);
            throw;
        }
        Logger.LogInformation("KubeadmControlPlane {Namespace}/{Name}: deleting Machine {Machine}", scope.Namespace, scope.Kcp.Metadata.Name, name);
        await NormalEventAsync(scope.Kcp, "SuccessfulDelete", "Delete", $"Deleted control plane Machine \"{name}\"", ct);
    }

    /// <summary>Machines' UpToDate condition is the owner's to set (CAPI v1beta2); written only when it changes,
    /// fenced by the Machine's resourceVersion (a conflict is retried on the next step).</summary>
    private async Task MarkMachinesUpToDateAsync(ControlPlaneScope scope, DateTimeOffset now, CancellationToken ct)
    {
        foreach (var machine in scope.Active)
        {
            var reason = scope.OutdatedReason(machine);
            var conditions = machine.Status.Conditions?.ToList() ?? [];
            var changed = Conditions.Set(conditions, new Condition
            {
                Type = MachineConditions.UpToDate,
                Status = ConditionStatus.Of(reason is null),
                Reason = reason is null ? CommonReasons.UpToDate : CommonReasons.NotUpToDate,
                Message = reason is null ? "" : $"* {reason}",
                ObservedGeneration = machine.Metadata.Generation,
            }, now.UtcDateTime);
            if (!changed) continue;
            var patch = new JsonObject
            {
                ["metadata"] = new JsonObject { ["resourceVersion"] = machine.Metadata.ResourceVersion },
                ["status"] = new JsonObject { ["conditions"] = Manifests.ToJson(conditions) },
            };
            try
            {
                await Kube.MergePatchAsync<Api.Machine>(scope.Namespace, machine.Metadata.Name, patch, status: true, ct);
            }
            catch (KubeApiException e) when (e.IsConflict || e.IsNotFound)
            {
                // The Machine moved on; the next step sets the condition on what it then reads.
            }
        }
    }
}
