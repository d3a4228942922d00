using System.Net;
using System.Text;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.InMemory;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Tests.Providers.Support;
using ServerlessCapi.Testing;
using Api = ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Workflows;

/// <summary>Each workload cluster has its own credentials: the kubeconfig the control plane writes opens its cluster and
/// no other, and the hosting server's token opens none (the embedded server's default).</summary>
public class WorkloadCredentialsTests
{
    [Fact]
    public void The_derived_token_is_the_one_the_server_accepts_for_that_cluster()
    {
        WorkloadClusterTokens.For("server-token", "ns--c1").ShouldBe(EmbeddedApiServer.Auth.BearerAuth.ClusterToken("server-token", "ns--c1"));
        WorkloadClusterTokens.For("server-token", "ns--c1").ShouldNotBe(WorkloadClusterTokens.For("server-token", "ns--c2"));
    }

    [Fact]
    public async Task A_workload_kubeconfig_opens_its_own_cluster_and_no_other()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var ns = env.Namespace;
        var cluster = await env.Kube.CreateAsync(ProviderObjects.Cluster(ns, "c1"));
        await env.Kube.CreateAsync(ProviderObjects.DevCluster(cluster));
        await env.Kube.CreateAsync(ProviderObjects.Template(ns, "cp-template"));
        await env.Kube.CreateAsync(ProviderObjects.ControlPlane(cluster, 1, "v1.33.0", "cp-template"));

        // The cloud registers the Node with the cluster's own token; the kubeconfig reads it with the same.
        var kubeconfig = await env.WaitForAsync(() => env.Kube.GetAsync<V1Secret>(ns, "c1-kubeconfig"), "the kubeconfig Secret");
        var yaml = Encoding.UTF8.GetString(kubeconfig.Data["value"]);
        using var own = KubeApi.FromKubeconfigText(yaml);
        await env.WaitForAsync(async () => await own.ListAsync<V1Node>(null) is { Count: > 0 } nodes ? nodes[0] : null, "the Node, read through the kubeconfig");

        var key = InMemoryCloudNames.ClusterKey(ns, "c1");
        yaml.ShouldContain(env.Server.TokenFor(key));
        yaml.ShouldNotContain(env.Server.Token);

        // The same token at another workload cluster, and the server's token at this one, are refused.
        var other = InMemoryCloudNames.ClusterKey(ns, "c2");
        (await StatusAsync(env.Server.ClusterUrl(other), env.Server.TokenFor(key))).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusAsync(env.Server.Url, env.Server.TokenFor(key))).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusAsync(env.Server.ClusterUrl(key), env.Server.Token)).ShouldBe(HttpStatusCode.Unauthorized);
        (await StatusAsync(env.Server.ClusterUrl(key), env.Server.TokenFor(key))).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_control_plane_at_version_banana_is_reported_and_makes_no_machine()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var ns = env.Namespace;
        var cluster = await env.Kube.CreateAsync(ProviderObjects.Cluster(ns, "c1"));
        await env.Kube.CreateAsync(ProviderObjects.DevCluster(cluster));
        await env.Kube.CreateAsync(ProviderObjects.Template(ns, "cp-template"));
        // The CRD takes any version of 1–256 characters; CAPI's webhook is what refuses this one.
        await env.Kube.CreateAsync(ProviderObjects.ControlPlane(cluster, 1, "banana", "cp-template"));

        var kcp = await env.WaitForAsync(async () =>
        {
            var k = await env.Kube.GetAsync<Api.KubeadmControlPlane>(ns, "c1-cp");
            return Conditions.Get(k?.Status, InvalidInput.ConditionType) is { Status: ConditionStatus.False, Reason: InvalidInput.InvalidVersion } ? k : null;
        }, "the control plane to report its version");
        kcp.Spec.Version.ShouldBe("banana", "not defaulted to vbanana");
        Conditions.Get(kcp.Status, InvalidInput.ConditionType)!.Message.ShouldContain("spec.version");
        (await env.Kube.ListAsync<Api.Machine>(ns)).ShouldBeEmpty();
        (await env.Kube.ListAsync<Api.KubeadmConfig>(ns)).ShouldBeEmpty();
        env.Driver.Errors.ShouldNotContain(e => e.Contains("c1-cp", StringComparison.Ordinal), "reported, not thrown into retries");
    }

    private static async Task<HttpStatusCode> StatusAsync(string baseUrl, string token)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator };
        using var http = new HttpClient(handler);
        using var request = new HttpRequestMessage(HttpMethod.Get, baseUrl.TrimEnd('/') + "/api/v1/namespaces");
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }
}
