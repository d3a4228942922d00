using System.Text;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Tests.Providers.Support;
using Api = ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Workflows;

/// <summary>The control plane's certificate Secrets: created once, kept across reconciles, and the user's own used as given.</summary>
public class ClusterCertificateSecretsTests
{
    [Fact]
    public async Task The_control_plane_creates_each_certificate_secret_once_and_keeps_a_user_provided_one()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var ns = env.Namespace;
        var userCa = new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta { Name = "c1-ca", NamespaceProperty = ns, Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = "c1" } },
            Type = "cluster.x-k8s.io/secret",
            Data = new Dictionary<string, byte[]> { ["tls.crt"] = Encoding.ASCII.GetBytes("user cert"), ["tls.key"] = Encoding.ASCII.GetBytes("user key") },
        };
        await env.Kube.CreateAsync(userCa);
        var cluster = await env.Kube.CreateAsync(ProviderObjects.Cluster(ns, "c1"));
        await env.Kube.CreateAsync(ProviderObjects.DevCluster(cluster));
        await env.Kube.CreateAsync(ProviderObjects.Template(ns, "cp-template"));
        var kcp = await env.Kube.CreateAsync(ProviderObjects.ControlPlane(cluster, 1, "v1.33.0", "cp-template"));

        var generated = new Dictionary<string, V1Secret>();
        foreach (var suffix in new[] { "etcd", "proxy", "sa" })
            generated[suffix] = await env.WaitForAsync(() => env.Kube.GetAsync<V1Secret>(ns, $"c1-{suffix}"), $"the c1-{suffix} Secret");
        foreach (var (suffix, secret) in generated)
        {
            secret.Type.ShouldBe("cluster.x-k8s.io/secret");
            secret.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("c1");
            secret.Metadata.OwnerReferences.ShouldHaveSingleItem().Uid.ShouldBe(kcp.Metadata.Uid, $"c1-{suffix} is owned by the control plane");
            secret.Data.Keys.Order().ShouldBe(["tls.crt", "tls.key"]);
        }

        // Later reconciles (the Machine comes up meanwhile) neither replace nor rewrite any of them.
        await env.WaitForAsync(async () =>
        {
            var k = await env.Kube.GetAsync<Api.KubeadmControlPlane>(ns, "c1-cp");
            return k?.Status.ReadyReplicas == 1 && Conditions.IsTrue(k.Status, KubeadmControlPlaneConditions.Available) ? k : null;
        }, "the control plane to be available");
        foreach (var (suffix, secret) in generated)
            (await env.Kube.GetAsync<V1Secret>(ns, $"c1-{suffix}"))!.Metadata.ResourceVersion.ShouldBe(secret.Metadata.ResourceVersion);
        var ca = (await env.Kube.GetAsync<V1Secret>(ns, "c1-ca"))!;
        Encoding.ASCII.GetString(ca.Data["tls.key"]).ShouldBe("user key");
        ca.Metadata.OwnerReferences.ShouldBeNull();
    }
}
