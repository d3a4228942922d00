using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.FleetTests.Harness;

/// <summary>How the stand-in infrastructure behaves.</summary>
internal sealed class StandInInfrastructureOptions
{
    /// <summary>How long a host takes from creation until it is provisioned and its Node is Ready.</summary>
    public TimeSpan BootTime { get; set; } = TimeSpan.Zero;
}

/// <summary>A stand-in infrastructure provider for DevMachines (the fleet tests do not depend on a cloud): after
/// the boot time it sets the providerID, reports the host provisioned and registers a Ready Node in the
/// workload cluster, like a kubelet would. Deleting the DevMachine deletes the Node.</summary>
internal sealed class StandInDevMachineReconciler(KubeApi kube, WorkloadClusters workloads, StandInInfrastructureOptions options,
    ILogger<StandInDevMachineReconciler> logger) : ObjectReconciler<DevMachine>(kube, logger)
{
    public static string ProviderId(string ns, string name) => $"standin://{ns}/{name}";

    protected override async Task<ReconcileResult> ReconcileAsync(DevMachine dm, ReconcileContext context, CancellationToken ct)
    {
        var ns = dm.Metadata.NamespaceProperty;
        var cluster = dm.Metadata.Labels?.TryGetValue(CapiLabels.ClusterName, out var c) == true ? c : null;
        var workload = cluster is null ? null : await workloads.GetAsync(ns, cluster, ct);
        if (dm.Metadata.DeletionTimestamp is not null)
        {
            if (workload is not null) await workload.DeleteAsync<V1Node>(null, dm.Metadata.Name, ct: ct);
            return ReconcileResult.Done();
        }
        if (workload is null) return ReconcileResult.Requeue(TimeSpan.FromSeconds(1), "waiting for the workload cluster");

        var bootedAt = DateTime.SpecifyKind(dm.Metadata.CreationTimestamp ?? DateTime.UtcNow, DateTimeKind.Utc) + options.BootTime;
        var now = context.Now.UtcDateTime;
        if (now < bootedAt) return ReconcileResult.Requeue(bootedAt - now, "booting");

        var providerId = ProviderId(ns, dm.Metadata.Name);
        if (await workload.GetAsync<V1Node>(null, dm.Metadata.Name, ct) is null)
        {
            await workload.CreateOrGetAsync(new V1Node
            {
                Metadata = new V1ObjectMeta { Name = dm.Metadata.Name },
                Spec = new V1NodeSpec { ProviderID = providerId },
            }, ct);
            var status = new JsonObject
            {
                ["status"] = JsonNode.Parse(KubernetesJson.Serialize(new V1NodeStatus
                {
                    Conditions =
                    [
                        new V1NodeCondition { Type = "Ready", Status = "True", Reason = "KubeletReady", LastTransitionTime = now, LastHeartbeatTime = now },
                        new V1NodeCondition { Type = "MemoryPressure", Status = "False", Reason = "KubeletHasSufficientMemory", LastTransitionTime = now },
                        new V1NodeCondition { Type = "DiskPressure", Status = "False", Reason = "KubeletHasNoDiskPressure", LastTransitionTime = now },
                        new V1NodeCondition { Type = "PIDPressure", Status = "False", Reason = "KubeletHasSufficientPID", LastTransitionTime = now },
                    ],
                })),
            };
            await workload.MergePatchAsync<V1Node>(null, dm.Metadata.Name, status, status: true, ct);
        }
        dm.Spec.ProviderId = providerId;
        dm.Status.Initialization ??= new InfrastructureInitializationStatus();
        dm.Status.Initialization.Provisioned = true;
        Conditions.Set(dm.Status, CommonConditions.Ready, ConditionStatus.True, CommonReasons.Ready, "", dm.Metadata.Generation, now);
        return ReconcileResult.Done("provisioned");
    }
}
