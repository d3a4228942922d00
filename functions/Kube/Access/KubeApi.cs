using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace ServerlessCapi.Kube.Access;

/// <summary>Typed access to one Kubernetes API server (management or workload cluster) over REST.</summary>
/// <remarks>
/// One code path for built-in and custom kinds: paths come from <see cref="KubeResources"/>, bodies are
/// (de)serialised with <see cref="KubernetesJson"/>, and authentication is whatever the kubeconfig
/// says (KubernetesClient applies it). Writes that must not clobber a concurrent change carry
/// <c>metadata.resourceVersion</c>, so a stale write gets 409 instead of winning.
/// </remarks>
public sealed class KubeApi : IDisposable
{
    private readonly Kubernetes _client;
    private readonly HttpClient _http;
    private readonly Uri _base;

    /// <param name="handlers">Handlers every request passes through (fault injection in tests, diagnostics).</param>
    public KubeApi(KubernetesClientConfiguration config, params DelegatingHandler[] handlers)
    {
        _client = new Kubernetes(config, handlers);
        _http = _client.HttpClient;
        var baseText = _client.BaseUri.ToString().TrimEnd('/');
        _base = new Uri(baseText);
    }

    public static KubeApi FromKubeconfigFile(string path, string? context = null) =>
        new(KubernetesClientConfiguration.BuildConfigFromConfigFile(path, context));

    public static KubeApi FromKubeconfigText(string kubeconfig, string? context = null)
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(kubeconfig));
        return new KubeApi(KubernetesClientConfiguration.BuildConfigFromConfigFile(stream, context));
    }

    /// <summary>Versions of objects that their own workflows wrote through this client (see <see cref="Events.OwnWrites"/>).</summary>
    public Events.OwnWrites OwnWrites { get; } = new();

    /// <summary>The KubernetesClient instance behind this API (for watches).</summary>
    public IKubernetes Client => _client;

    public Uri BaseUri => _base;

    public async Task<T?> GetAsync<T>(string? ns, string name, CancellationToken ct = default) where T : class
    {
        var r = KubeResources.For<T>();
        try
        {
            return await SendAsync<T>(HttpMethod.Get, $"{r.CollectionPath(ns)}/{Escape(name)}", null, null, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<T>> ListAsync<T>(string? ns, string? labelSelector = null, string? fieldSelector = null,
        CancellationToken ct = default) where T : class
    {
        var r = KubeResources.For<T>();
        var items = new List<T>();
        string? cont = null;
        do
        {
            var query = new List<string> { "limit=500" };
            if (labelSelector is not null) query.Add("labelSelector=" + Uri.EscapeDataString(labelSelector));
            if (fieldSelector is not null) query.Add("fieldSelector=" + Uri.EscapeDataString(fieldSelector));
            if (cont is not null) query.Add("continue=" + Uri.EscapeDataString(cont));
            var page = await SendAsync<JsonObject>(HttpMethod.Get, $"{r.CollectionPath(ns)}?{string.Join('&', query)}", null, null, ct);
            if (page?["items"] is JsonArray array)
            {
                foreach (var item in array)
                {
                    if (item is null) continue;
                    // List items omit apiVersion/kind; restore them so objects look like a GET's.
                    item["apiVersion"] ??= r.ApiVersion;
                    item["kind"] ??= r.Kind;
                    items.Add(KubernetesJson.Deserialize<T>(item.ToJsonString()));
                }
            }
            cont = page?["metadata"]?["continue"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(cont));
        return items;
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var r = KubeResources.For<T>();
        obj.ApiVersion ??= r.ApiVersion;
        obj.Kind ??= r.Kind;
        return SendRequiredAsync<T>(HttpMethod.Post, r.CollectionPath(obj.Metadata.NamespaceProperty), KubernetesJson.Serialize(obj),
            "application/json", ct);
    }

    /// <summary>Creates the object, or returns the existing one with that name (deterministic names make this idempotent).</summary>
    public async Task<T> CreateOrGetAsync<T>(T obj, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            return await CreateAsync(obj, ct);
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            return await GetAsync<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name, ct)
                   ?? throw new KubeApiException(HttpStatusCode.Conflict, "Conflict", $"{obj.Metadata.Name} exists but cannot be read");
        }
    }

    /// <summary>Applies a JSON merge patch to the object (or its status subresource).</summary>
    public Task<T> MergePatchAsync<T>(string? ns, string name, JsonObject patch, bool status = false, CancellationToken ct = default)
        where T : class
    {
        var r = KubeResources.For<T>();
        var path = $"{r.CollectionPath(ns)}/{Escape(name)}{(status ? "/status" : "")}";
        return SendRequiredAsync<T>(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json", ct);
    }

    /// <summary>Deletes; returns false when it was already gone. A uid precondition never deletes a namesake.</summary>
    public async Task<bool> DeleteAsync<T>(string? ns, string name, string? uid = null, string propagationPolicy = "Background",
        CancellationToken ct = default) where T : class
    {
        var r = KubeResources.For<T>();
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "DeleteOptions",
            ["propagationPolicy"] = propagationPolicy,
        };
        if (uid is not null) body["preconditions"] = new JsonObject { ["uid"] = uid };
        try
        {
            await SendAsync<JsonObject>(HttpMethod.Delete, $"{r.CollectionPath(ns)}/{Escape(name)}", body.ToJsonString(), "application/json", ct);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return false;
        }
        catch (KubeApiException e) when (e.IsConflict && uid is not null)
        {
            // The uid precondition failed: the object we meant is gone and a namesake took its place.
            return false;
        }
    }

    /// <summary>A raw request; the body is JSON (or YAML for apply patches). Null for an empty response.</summary>
    public async Task<T?> SendAsync<T>(HttpMethod method, string pathAndQuery, string? body, string? contentType,
        CancellationToken ct = default) where T : class
    {
        using var request = new HttpRequestMessage(method, new Uri(_base + pathAndQuery));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType ?? "application/json");
        }
        if (_client.Credentials is not null)
            await _client.Credentials.ProcessHttpRequestAsync(request, ct);
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
            throw ToException(response.StatusCode, text);
        if (text.Length == 0) return null;
        return typeof(T) == typeof(JsonObject) ? (T)(object)JsonNode.Parse(text)!.AsObject() : KubernetesJson.Deserialize<T>(text);
    }

    /// <summary>A GET whose answer is text (for example <c>/metrics</c>).</summary>
    public async Task<string> SendTextAsync(string pathAndQuery, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_base + pathAndQuery));
        if (_client.Credentials is not null)
            await _client.Credentials.ProcessHttpRequestAsync(request, ct);
        using var response = await _http.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode) throw ToException(response.StatusCode, text);
        return text;
    }

    public void Dispose() => _client.Dispose();

    private async Task<T> SendRequiredAsync<T>(HttpMethod method, string path, string body, string contentType, CancellationToken ct)
        where T : class =>
        await SendAsync<T>(method, path, body, contentType, ct)
        ?? throw new KubeApiException(HttpStatusCode.InternalServerError, "EmptyResponse", $"{method} {path} returned no object");

    private static string Escape(string name) => Uri.EscapeDataString(name);

    private static KubeApiException ToException(HttpStatusCode status, string body)
    {
        string? reason = null;
        var message = body;
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.TryGetProperty("reason", out var r)) reason = r.GetString();
            if (doc.RootElement.TryGetProperty("message", out var m)) message = m.GetString() ?? body;
        }
        catch (JsonException)
        {
            // Not a Status body; keep the raw text.
        }
        return new KubeApiException(status, reason ?? status.ToString(), message);
    }
}
