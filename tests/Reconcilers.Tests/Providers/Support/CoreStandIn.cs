using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using Api = ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Support;

/// <summary>The few things CAPI's core controllers do that the provider workflows wait for, so provider tests
/// run without the Cluster and Machine workflows: the Cluster takes its infrastructure's endpoint and
/// provisioned flag and its control plane's initialized flag; a Machine takes its bootstrap config's data
/// Secret name. Written as plain merge patches, like any other client would.</summary>
public static class CoreStandIn
{
    public static async Task RoundAsync(KubeApi kube, string ns, CancellationToken ct)
    {
        foreach (var cluster in await kube.ListAsync<Api.Cluster>(ns, ct: ct))
        {
            var dev = await kube.GetAsync<Api.DevCluster>(ns, cluster.Spec.InfrastructureRef?.Name ?? "", ct);
            var kcp = await kube.GetAsync<Api.KubeadmControlPlane>(ns, cluster.Spec.ControlPlaneRef?.Name ?? "", ct);
            if (dev?.Spec.ControlPlaneEndpoint is { IsValid: true } endpoint && cluster.Spec.ControlPlaneEndpoint is not { IsValid: true })
            {
                await kube.MergePatchAsync<Api.Cluster>(ns, cluster.Metadata.Name, new JsonObject
                {
                    ["spec"] = new JsonObject { ["controlPlaneEndpoint"] = new JsonObject { ["host"] = endpoint.Host, ["port"] = endpoint.Port } },
                }, ct: ct);
            }
            var infra = dev?.Status.Initialization?.Provisioned == true;
            var initialized = kcp?.Status.Initialization?.ControlPlaneInitialized == true;
            if (infra != (cluster.Status.Initialization?.InfrastructureProvisioned == true)
                || initialized != (cluster.Status.Initialization?.ControlPlaneInitialized == true))
            {
                await kube.MergePatchAsync<Api.Cluster>(ns, cluster.Metadata.Name, new JsonObject
                {
                    ["status"] = new JsonObject
                    {
                        ["initialization"] = new JsonObject { ["infrastructureProvisioned"] = infra, ["controlPlaneInitialized"] = initialized },
                    },
                }, status: true, ct);
            }
        }
        foreach (var machine in await kube.ListAsync<Api.Machine>(ns, ct: ct))
        {
            if (machine.Spec.Bootstrap.DataSecretName is not null || machine.Spec.Bootstrap.ConfigRef is not { } configRef) continue;
            var config = await kube.GetAsync<Api.KubeadmConfig>(ns, configRef.Name, ct);
            if (config?.Status.DataSecretName is not { } secret) continue;
            await kube.MergePatchAsync<Api.Machine>(ns, machine.Metadata.Name, new JsonObject
            {
                ["spec"] = new JsonObject { ["bootstrap"] = new JsonObject { ["dataSecretName"] = secret } },
            }, ct: ct);
        }
    }
}
