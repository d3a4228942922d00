using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Testing;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Server;

/// <summary>Behaviour of the embedded server itself: authentication, metrics, workload clusters, the watch window, persistence.</summary>
public sealed class ServerTests
{
    [Fact]
    public async Task Requests_without_the_token_get_401_except_health_checks()
    {
        var server = await TestApiServer.SharedAsync();
        using var anonymous = server.CreateHttpClient();
        anonymous.DefaultRequestHeaders.Authorization = null;

        var denied = await anonymous.GetAsync("api/v1/namespaces");
        denied.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        JsonNode.Parse(await denied.Content.ReadAsStringAsync()).Str("reason").ShouldBe("Unauthorized");
        (await anonymous.GetAsync("healthz")).StatusCode.ShouldBe(HttpStatusCode.OK);
        (await anonymous.GetAsync("readyz")).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Request_counts_are_kept_per_verb_and_served_as_prometheus_text()
    {
        await using var server = await TestApiServer.StartAsync();
        var kube = server.CreateClient();
        await kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "m" } }, "default");
        await kube.CoreV1.ReadNamespacedConfigMapAsync("m", "default");
        await kube.CoreV1.ListNamespacedConfigMapAsync("default");

        server.RequestCounts["create"].ShouldBe(1);
        server.RequestCounts["get"].ShouldBe(1);
        server.RequestCounts["list"].ShouldBe(1);
        using var http = server.CreateHttpClient();
        var text = await http.GetStringAsync("metrics");
        text.ShouldContain("apiserver_request_total{verb=\"create\"} 1");
    }

    [Fact]
    public async Task Workload_clusters_are_isolated_and_reachable_through_a_prefixed_kubeconfig()
    {
        var server = await TestApiServer.SharedAsync();
        var clusterA = TestNames.Unique("wa");
        var clusterB = TestNames.Unique("wb");
        var a = server.CreateClient(clusterA);
        var b = server.CreateClient(clusterB);
        a.BaseUri.AbsolutePath.ShouldBe($"/clusters/{clusterA}/");

        await a.CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "node-1" } });
        (await a.CoreV1.ListNodeAsync()).Items.Select(n => n.Metadata.Name).ShouldBe(["node-1"]);
        (await b.CoreV1.ListNodeAsync()).Items.ShouldBeEmpty();
        (await server.CreateClient().CoreV1.ListNodeAsync()).Items.ShouldNotContain(n => n.Metadata.Name == "node-1" && n.Metadata.Uid == null);
        (await a.CoreV1.ListNamespaceAsync()).Items.Select(n => n.Metadata.Name).ShouldContain("default");
    }

    [Fact]
    public async Task A_watch_older_than_the_retained_window_gets_an_ERROR_event_with_410()
    {
        await using var server = await TestApiServer.StartAsync(new EmbeddedApiServerOptions { WatchWindow = 3 });
        var kube = server.CreateClient();
        var first = await kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "c0" } }, "default");
        for (var i = 1; i <= 5; i++)
            await kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"c{i}" } }, "default");

        using var http = server.CreateHttpClient();
        var events = await WatchStream.ReadAsync(http, $"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={first.Metadata.ResourceVersion}",
            e => e.Count >= 1, TimeSpan.FromSeconds(10));
        events.Single().Type().ShouldBe("ERROR");
        events[0]["object"].Long("code").ShouldBe(410);
        events[0]["object"].Str("reason").ShouldBe("Expired");

        var recent = await kube.CoreV1.ListNamespacedConfigMapAsync("default");
        var fromList = await WatchStream.ReadAsync(http, $"api/v1/namespaces/default/configmaps?watch=1&resourceVersion={recent.Metadata.ResourceVersion}&timeoutSeconds=1",
            e => e.Count >= 1, TimeSpan.FromSeconds(10));
        fromList.ShouldBeEmpty("a watch from the current version is within the window and has nothing to replay");
    }

    [Fact]
    public async Task A_data_file_keeps_objects_and_the_resourceVersion_across_a_restart()
    {
        var file = Path.Combine(Path.GetTempPath(), TestNames.Unique("snap") + ".json");
        try
        {
            string rv;
            string token;
            string? ca;
            string workloadCluster = TestNames.Unique("wl");
            await using (var first = await TestApiServer.StartAsync(new EmbeddedApiServerOptions { DataFile = file }))
            {
                token = first.Token;
                ca = first.CertificateAuthorityPem;
                var created = await first.CreateClient().CoreV1.CreateNamespacedSecretAsync(
                    new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, "default");
                rv = created.Metadata.ResourceVersion;
                await first.CreateClient(workloadCluster).CoreV1.CreateNodeAsync(new V1Node { Metadata = new V1ObjectMeta { Name = "n" } });
            }
            await using var second = await TestApiServer.StartAsync(new EmbeddedApiServerOptions { DataFile = file });
            second.Token.ShouldBe(token, "kubeconfigs handed out before the restart keep working");
            second.CertificateAuthorityPem.ShouldBe(ca);
            var kube = second.CreateClient();
            var secret = await kube.CoreV1.ReadNamespacedSecretAsync("s", "default");
            System.Text.Encoding.UTF8.GetString(secret.Data["k"]).ShouldBe("v");
            secret.Metadata.ResourceVersion.ShouldBe(rv);
            (await second.CreateClient(workloadCluster).CoreV1.ReadNodeAsync("n")).ShouldNotBeNull();
            var next = await kube.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "after" } }, "default");
            long.Parse(next.Metadata.ResourceVersion, System.Globalization.CultureInfo.InvariantCulture)
                .ShouldBeGreaterThan(long.Parse(rv, System.Globalization.CultureInfo.InvariantCulture));
        }
        finally
        {
            File.Delete(file);
            File.Delete(file + ".credentials");
        }
    }
}
