using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessCapi.Testing;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Admission;

/// <summary>One test webhook server for the class; each test registers its webhooks in its own workload cluster
/// of the shared API server, so no test's webhooks reach another's writes.</summary>
public sealed class WebhookFixture : IAsyncLifetime
{
    public TestWebhookServer Webhooks { get; private set; } = null!;
    public EmbeddedApiServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await TestApiServer.SharedAsync();
        Webhooks = await TestWebhookServer.StartAsync();
    }

    public async Task DisposeAsync() => await Webhooks.DisposeAsync();
}

/// <summary>Raw REST calls to one workload cluster, and builders for webhook configurations.</summary>
public sealed class ClusterHttp(EmbeddedApiServer server, string cluster) : IDisposable
{
    private readonly HttpClient _http = server.CreateHttpClient(cluster);

    public string Cluster => cluster;

    public Task<HttpResponseMessage> PostAsync(string path, JsonObject body) => SendAsync(HttpMethod.Post, path, body, "application/json");

    public Task<HttpResponseMessage> PutAsync(string path, JsonObject body) => SendAsync(HttpMethod.Put, path, body, "application/json");

    public Task<HttpResponseMessage> PatchAsync(string path, JsonNode body, string contentType = "application/merge-patch+json") =>
        SendAsync(HttpMethod.Patch, path, body, contentType);

    public Task<HttpResponseMessage> DeleteAsync(string path) => _http.DeleteAsync(path);

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync(path);

    public async Task<JsonObject> OkAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        ((int)response.StatusCode).ShouldBeLessThan(300, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<(int Code, JsonObject Body, string[] Warnings)> SendForStatusAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        var warnings = response.Headers.TryGetValues("Warning", out var w) ? w.ToArray() : [];
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject(), warnings);
    }

    public async Task<string> NamespaceAsync(IDictionary<string, string>? labels = null)
    {
        var name = TestNames.Unique("ns");
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null) meta["labels"] = new JsonObject(labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        await OkAsync(PostAsync("api/v1/namespaces", new JsonObject { ["metadata"] = meta }));
        return name;
    }

    /// <summary>Registers a configuration (kind MutatingWebhookConfiguration or ValidatingWebhookConfiguration) of the given webhooks.</summary>
    public Task<JsonObject> RegisterAsync(string kind, string name, params JsonObject[] webhooks) =>
        OkAsync(PostAsync($"apis/admissionregistration.k8s.io/v1/{kind.ToLowerInvariant()}s", new JsonObject
        {
            ["apiVersion"] = "admissionregistration.k8s.io/v1",
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = name },
            ["webhooks"] = new JsonArray(webhooks),
        }));

    /// <summary>A webhook on configmaps (or other resources) for the given operations, called at <paramref name="url"/>.</summary>
    public static JsonObject Hook(string name, string url, string caBundle, string[]? resources = null, string[]? operations = null,
        string group = "", string failurePolicy = "Fail", int timeoutSeconds = 5, string sideEffects = "None")
    {
        return new JsonObject
        {
            ["name"] = name,
            ["clientConfig"] = new JsonObject { ["url"] = url, ["caBundle"] = caBundle },
            ["rules"] = new JsonArray(new JsonObject
            {
                ["operations"] = new JsonArray((operations ?? ["CREATE", "UPDATE"]).Select(o => (JsonNode)o).ToArray()),
                ["apiGroups"] = new JsonArray(group),
                ["apiVersions"] = new JsonArray("*"),
                ["resources"] = new JsonArray((resources ?? ["configmaps"]).Select(r => (JsonNode)r).ToArray()),
            }),
            ["failurePolicy"] = failurePolicy,
            ["timeoutSeconds"] = timeoutSeconds,
            ["sideEffects"] = sideEffects,
            ["admissionReviewVersions"] = new JsonArray("v1"),
        };
    }

    public static JsonObject ConfigMap(string name, IDictionary<string, string>? labels = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null) meta["labels"] = new JsonObject(labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));
        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta, ["data"] = new JsonObject { ["k"] = "v" } };
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, JsonNode body, string contentType)
    {
        using var request = new HttpRequestMessage(method, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return await _http.SendAsync(request);
    }

    public void Dispose() => _http.Dispose();
}
