using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace ServerlessCapi.ApiServerBench;

/// <summary>The requests the benchmark makes: Machine-sized custom resources over the real HTTP API.</summary>
internal sealed class Workload(HttpClient http)
{
    private const string Base = "apis/bench.example.com/v1";

    public async Task RegisterCrdAsync()
    {
        const string crd = """
        {"apiVersion":"apiextensions.k8s.io/v1","kind":"CustomResourceDefinition","metadata":{"name":"machines.bench.example.com"},
         "spec":{"group":"bench.example.com","scope":"Namespaced","names":{"kind":"Machine","plural":"machines","singular":"machine"},
          "versions":[{"name":"v1","served":true,"storage":true,"subresources":{"status":{}},
            "schema":{"openAPIV3Schema":{"type":"object","x-kubernetes-preserve-unknown-fields":true}}}]}}
        """;
        await SendAsync(HttpMethod.Post, "apis/apiextensions.k8s.io/v1/customresourcedefinitions", crd);
    }

    public Task CreateNamespaceAsync(string ns) =>
        SendAsync(HttpMethod.Post, "api/v1/namespaces", $$$"""{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"{{{ns}}}"}}""");

    public async Task CreateAsync(string ns, int count, int parallelism)
    {
        var next = -1;
        var workers = Enumerable.Range(0, parallelism).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
                await SendAsync(HttpMethod.Post, $"{Base}/namespaces/{ns}/machines", Machine(ns, i));
        });
        await Task.WhenAll(workers);
    }

    public async Task<int> ListAsync(string ns, int limit)
    {
        var total = 0;
        string? token = null;
        do
        {
            var path = $"{Base}/namespaces/{ns}/machines" + (limit > 0 ? $"?limit={limit}" : "") + (token is null ? "" : $"&continue={Uri.EscapeDataString(token)}");
            using var response = await http.GetAsync(path);
            response.EnsureSuccessStatusCode();
            using var doc = await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync());
            total += doc.RootElement.GetProperty("items").GetArrayLength();
            token = doc.RootElement.GetProperty("metadata").TryGetProperty("continue", out var c) && c.GetString() is { Length: > 0 } s ? s : null;
        }
        while (token is not null);
        return total;
    }

    /// <summary>Opens watchers from the current version, patches <paramref name="updates"/> objects, and times
    /// until every watcher has received every event.</summary>
    public async Task<(long Delivered, double Seconds)> WatchWhileUpdatingAsync(string ns, int watchers, int updates)
    {
        using var listResponse = await http.GetAsync($"{Base}/namespaces/{ns}/machines?limit=1");
        using var listDoc = await JsonDocument.ParseAsync(await listResponse.Content.ReadAsStreamAsync());
        var rv = listDoc.RootElement.GetProperty("metadata").GetProperty("resourceVersion").GetString();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var streams = new List<Task<long>>();
        for (var w = 0; w < watchers; w++)
            streams.Add(CountEventsAsync($"{Base}/namespaces/{ns}/machines?watch=1&resourceVersion={rv}", updates, cts.Token));
        var sw = Stopwatch.StartNew();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < updates)
            {
                await SendAsync(HttpMethod.Patch, $"{Base}/namespaces/{ns}/machines/m-{i:D6}",
                    $$$"""{"spec":{"replicasHint":{{{i}}}}}""", "application/merge-patch+json");
            }
        }));
        var counts = await Task.WhenAll(streams);
        return (counts.Sum(), sw.Elapsed.TotalSeconds);
    }

    private async Task<long> CountEventsAsync(string path, int expected, CancellationToken ct)
    {
        using var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead, ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
        long seen = 0;
        while (seen < expected && await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.Length > 0) seen++;
        }
        return seen;
    }

    private async Task SendAsync(HttpMethod method, string path, string body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body, Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await http.SendAsync(request);
        if (!response.IsSuccessStatusCode && (int)response.StatusCode != 409)
            throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    /// <summary>About the size of a CAPI Machine with status (~1.3 KB of JSON).</summary>
    private static string Machine(string ns, int i) => $$$"""
        {"apiVersion":"bench.example.com/v1","kind":"Machine","metadata":{"name":"m-{{{i:D6}}}","namespace":"{{{ns}}}",
          "labels":{"cluster.x-k8s.io/cluster-name":"c-{{{i / 4}}}","cluster.x-k8s.io/deployment-name":"md-{{{i / 4}}}","cluster.x-k8s.io/set-name":"ms-{{{i / 4}}}"},
          "ownerReferences":[{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineSet","name":"ms-{{{i / 4}}}","uid":"00000000-0000-0000-0000-{{{i / 4:D12}}}","controller":true,"blockOwnerDeletion":true}],
          "finalizers":["machine.cluster.x-k8s.io"]},
         "spec":{"clusterName":"c-{{{i / 4}}}","version":"v1.32.0","providerID":"in-memory://{{{ns}}}/c-{{{i / 4}}}/m-{{{i:D6}}}",
          "bootstrap":{"configRef":{"apiGroup":"bootstrap.cluster.x-k8s.io","kind":"KubeadmConfig","name":"m-{{{i:D6}}}"},"dataSecretName":"m-{{{i:D6}}}"},
          "infrastructureRef":{"apiGroup":"infrastructure.cluster.x-k8s.io","kind":"DevMachine","name":"m-{{{i:D6}}}"}},
         "status":{"phase":"Running","nodeRef":{"name":"m-{{{i:D6}}}"},"addresses":[{"type":"InternalIP","address":"10.0.{{{i / 250}}}.{{{i % 250}}}"}],
          "conditions":[{"type":"Ready","status":"True","reason":"Ready","lastTransitionTime":"2025-01-01T00:00:00Z"},
                        {"type":"BootstrapConfigReady","status":"True","reason":"Ready","lastTransitionTime":"2025-01-01T00:00:00Z"},
                        {"type":"InfrastructureReady","status":"True","reason":"Ready","lastTransitionTime":"2025-01-01T00:00:00Z"},
                        {"type":"NodeHealthy","status":"True","reason":"Ready","lastTransitionTime":"2025-01-01T00:00:00Z"}]}}
        """;
}
