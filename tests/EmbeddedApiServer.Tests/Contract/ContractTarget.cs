using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using ServerlessCapi.Testing;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>An API server the contract suite runs against: the embedded one always, and a real one when
/// SCAPI_TEST_KUBECONFIG names a kubeconfig. The same assertions run against both.</summary>
public sealed class ContractTarget
{
    public const string Embedded = "embedded";
    public const string Real = "real";
    public const string KubeconfigVariable = "SCAPI_TEST_KUBECONFIG";
    public const string Group = "example.com";
    public const string WidgetVersion = "v1";
    public const string Widgets = "widgets";

    private static readonly Dictionary<string, Lazy<Task<ContractTarget>>> Targets = new(StringComparer.Ordinal)
    {
        [Embedded] = new(StartEmbeddedAsync),
        [Real] = new(ConnectRealAsync),
    };

    private ContractTarget(string name, Kubernetes kube, HttpClient http, EmbeddedApiServer? server)
    {
        Name = name;
        Kube = kube;
        Http = http;
        Server = server;
    }

    public string Name { get; }
    public Kubernetes Kube { get; }

    /// <summary>Plain HTTP to the server root (authenticated, trusting the server's CA).</summary>
    public HttpClient Http { get; }

    /// <summary>The embedded server, or null for a real cluster.</summary>
    public EmbeddedApiServer? Server { get; }

    /// <summary>Theory data: every configured target.</summary>
    public static TheoryData<string> Names
    {
        get
        {
            var data = new TheoryData<string> { Embedded };
            if (!string.IsNullOrEmpty(Environment.GetEnvironmentVariable(KubeconfigVariable))) data.Add(Real);
            return data;
        }
    }

    public static Task<ContractTarget> GetAsync(string name) => Targets[name].Value;

    private static async Task<ContractTarget> StartEmbeddedAsync()
    {
        var server = await TestApiServer.SharedAsync();
        var target = new ContractTarget(Embedded, server.CreateClient(), server.CreateHttpClient(), server);
        await target.EnsureCrdsAsync();
        return target;
    }

    private static async Task<ContractTarget> ConnectRealAsync()
    {
        var config = KubernetesClientConfiguration.BuildConfigFromConfigFile(Environment.GetEnvironmentVariable(KubeconfigVariable));
        var target = new ContractTarget(Real, new Kubernetes(config), RawClient(config), null);
        await target.EnsureCrdsAsync();
        return target;
    }

    /// <summary>Plain HTTP with the kubeconfig's CA, client certificate and token (exec plugins are not supported here).</summary>
    private static HttpClient RawClient(KubernetesClientConfiguration config)
    {
        var handler = new HttpClientHandler();
        if (config.SkipTlsVerify)
        {
            handler.ServerCertificateCustomValidationCallback = HttpClientHandler.DangerousAcceptAnyServerCertificateValidator;
        }
        else if (config.SslCaCerts is { Count: > 0 } cas)
        {
            handler.ServerCertificateCustomValidationCallback = (_, cert, _, _) =>
            {
                if (cert is null) return false;
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(cas);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(cert);
            };
        }
        if (!string.IsNullOrEmpty(config.ClientCertificateData) && !string.IsNullOrEmpty(config.ClientCertificateKeyData))
        {
            static string Pem(string data) => Encoding.UTF8.GetString(Convert.FromBase64String(data));
            handler.ClientCertificates.Add(System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPem(
                Pem(config.ClientCertificateData), Pem(config.ClientCertificateKeyData)));
        }
        var http = new HttpClient(handler) { BaseAddress = new Uri(config.Host.TrimEnd('/') + "/") };
        if (config.AccessToken is { Length: > 0 } token)
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Registers the test CRDs (idempotent) and waits until their resources are served.</summary>
    private async Task EnsureCrdsAsync()
    {
        foreach (var file in new[] { "widgets-crd.yaml", "gadgets-crd.yaml", "probes-crd.yaml" })
        {
            var crd = KubernetesYaml.Deserialize<V1CustomResourceDefinition>(await File.ReadAllTextAsync(Manifest(file)));
            try
            {
                await Kube.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
            }
            catch (HttpOperationException e) when ((int)e.Response.StatusCode == 409)
            {
                // Registered by an earlier run against the same cluster.
            }
        }
        await WaitFor.ConditionAsync(async () =>
            (await SendAsync(HttpMethod.Get, $"apis/{Group}/{WidgetVersion}/{Widgets}")).Code == 200
            && (await SendAsync(HttpMethod.Get, $"apis/{Group}/{WidgetVersion}/gadgets")).Code == 200
            && (await SendAsync(HttpMethod.Get, $"apis/{Group}/{WidgetVersion}/probes")).Code == 200,
            TimeSpan.FromSeconds(30), "test CRDs to be served");
    }

    public static string Manifest(string file) => Path.Combine(AppContext.BaseDirectory, "Manifests", file);

    /// <summary>A fresh namespace for one test.</summary>
    public async Task<string> NewNamespaceAsync()
    {
        var name = TestNames.Unique("ct");
        await Kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = name } });
        return name;
    }

    public async Task<(int Code, JsonObject? Body)> SendAsync(HttpMethod method, string path, JsonNode? body = null,
        string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        if (accept is not null) request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonObject? parsed = null;
        try
        {
            parsed = text.Length > 0 ? JsonNode.Parse(text) as JsonObject : null;
        }
        catch (JsonException)
        {
            // Not JSON (health text): leave the body null.
        }
        return ((int)response.StatusCode, parsed);
    }

    public static string WidgetsPath(string ns, string? name = null, string? sub = null) =>
        $"apis/{Group}/{WidgetVersion}/namespaces/{ns}/{Widgets}" + (name is null ? "" : $"/{name}") + (sub is null ? "" : $"/{sub}");

    public static JsonObject Widget(string name, int replicas = 1, string color = "blue", Dictionary<string, string>? labels = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null) meta["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value)));
        return new JsonObject
        {
            ["apiVersion"] = $"{Group}/{WidgetVersion}",
            ["kind"] = "Widget",
            ["metadata"] = meta,
            ["spec"] = new JsonObject { ["replicas"] = replicas, ["color"] = color },
        };
    }

    public async Task<JsonObject> CreateWidgetAsync(string ns, JsonObject widget)
    {
        var created = await Kube.CustomObjects.CreateNamespacedCustomObjectAsync(widget, Group, WidgetVersion, ns, Widgets);
        return ToJson(created);
    }

    public async Task<JsonObject?> GetWidgetAsync(string ns, string name)
    {
        var (code, body) = await SendAsync(HttpMethod.Get, WidgetsPath(ns, name));
        return code == 404 ? null : body;
    }

    public static JsonObject ToJson(object value) => JsonSerializer.SerializeToNode(value) as JsonObject ?? throw new InvalidOperationException("not an object");
}
