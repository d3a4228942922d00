using System.Net;
using System.Net.Http.Headers;
using k8s;
using k8s.Autorest;
using ServerlessCapi.Testing;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Server;

/// <summary>Each workload cluster has its own token: its kubeconfig carries it, and it opens no other cluster.</summary>
public sealed class ClusterCredentialsTests
{
    private static async Task<HttpStatusCode> GetAsync(EmbeddedApiServer server, string? cluster, string token)
    {
        using var http = server.CreateHttpClient(cluster);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.GetAsync("api/v1/namespaces");
        return response.StatusCode;
    }

    [Fact]
    public async Task A_cluster_s_token_opens_that_cluster_only()
    {
        var server = await TestApiServer.SharedAsync();
        var a = TestNames.Unique("cred-a");
        var b = TestNames.Unique("cred-b");
        var tokenA = server.TokenFor(a);

        tokenA.ShouldNotBe(server.TokenFor(b));
        tokenA.ShouldNotBe(server.Token);
        (await GetAsync(server, a, tokenA)).ShouldBe(HttpStatusCode.OK);
        (await GetAsync(server, b, tokenA)).ShouldBe(HttpStatusCode.Unauthorized);
        (await GetAsync(server, null, tokenA)).ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Each_cluster_s_kubeconfig_carries_its_own_token()
    {
        var server = await TestApiServer.SharedAsync();
        var a = TestNames.Unique("cred-a");
        var b = TestNames.Unique("cred-b");
        var configA = TestApiServer.ClientConfig(server, a);
        configA.AccessToken.ShouldBe(server.TokenFor(a));
        TestApiServer.ClientConfig(server, b).AccessToken.ShouldBe(server.TokenFor(b));
        TestApiServer.ClientConfig(server).AccessToken.ShouldBe(server.Token);

        using var clientA = new Kubernetes(configA);
        (await clientA.CoreV1.ListNamespaceAsync()).Items.ShouldNotBeEmpty();

        // The same credentials pointed at another cluster's URL are refused.
        var stolen = TestApiServer.ClientConfig(server, a);
        stolen.Host = server.ClusterUrl(b);
        using var elsewhere = new Kubernetes(stolen);
        var refused = await Should.ThrowAsync<HttpOperationException>(() => elsewhere.CoreV1.ListNamespaceAsync());
        refused.Response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task With_isolation_on_the_server_token_opens_only_the_management_cluster()
    {
        await using var server = await TestApiServer.StartAsync(new EmbeddedApiServerOptions { ServerTokenOpensWorkloadClusters = false });
        var a = TestNames.Unique("cred-a");
        (await GetAsync(server, null, server.Token)).ShouldBe(HttpStatusCode.OK);
        (await GetAsync(server, a, server.Token)).ShouldBe(HttpStatusCode.Unauthorized);
        (await GetAsync(server, a, server.TokenFor(a))).ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Cluster_tokens_survive_a_restart_with_the_data_file()
    {
        var dir = Path.Combine(Path.GetTempPath(), TestNames.Unique("cred"));
        Directory.CreateDirectory(dir);
        try
        {
            var options = new EmbeddedApiServerOptions { DataFile = Path.Combine(dir, "data.json") };
            string before;
            await using (var first = await TestApiServer.StartAsync(options)) before = first.TokenFor("w1");
            await using var second = await TestApiServer.StartAsync(options);
            second.TokenFor("w1").ShouldBe(before, "kubeconfigs handed out before the restart keep working");
            (await GetAsync(second, "w1", before)).ShouldBe(HttpStatusCode.OK);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
