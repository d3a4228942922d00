using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace ServerlessCapi.Providers.InMemory.Client;

/// <summary>Typed access to the in-memory cloud's HTTP API, as the workflows call it.</summary>
/// <remarks>Every call is idempotent (VMs are keyed by the DevMachine uid, clusters by namespace/name),
/// so a retried workflow step never makes a second VM or load balancer.</remarks>
public sealed class InMemoryCloudClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Uses <paramref name="http"/> as is (its BaseAddress must be the cloud's URL).</summary>
    public InMemoryCloudClient(HttpClient http, string key)
    {
        _http = http;
        _http.DefaultRequestHeaders.Remove("x-api-key");
        _http.DefaultRequestHeaders.Add("x-api-key", key);
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public InMemoryCloudClient(Uri url, string key)
        : this(new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(30) }, key)
    {
        _ownsHttp = true;
    }

    public InMemoryCloudClient(InMemoryCloudSettings settings)
        : this(settings.Url, settings.Key)
    {
    }

    /// <summary>Creates the VM, or returns the existing one with that id.</summary>
    public async Task<VmResponse> CreateVmAsync(string id, CreateVmRequest request, CancellationToken ct = default)
    {
        using var response = await _http.PutAsJsonAsync(VmPath(id), request, ct);
        return await ReadAsync<VmResponse>(response, ct) ?? throw Empty(response);
    }

    /// <summary>The VM, or null when there is none with that id.</summary>
    public async Task<VmResponse?> GetVmAsync(string id, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync(VmPath(id), ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<VmResponse>(response, ct);
    }

    /// <summary>Deletes the VM and its Node; an unknown id is already deleted.</summary>
    public async Task DeleteVmAsync(string id, CancellationToken ct = default)
    {
        using var response = await _http.DeleteAsync(VmPath(id), ct);
        await EnsureSuccessAsync(response, ct);
    }

    /// <summary>Failure injection: makes the VM's Node Ready or NotReady. Null when the VM is unknown.</summary>
    public async Task<VmResponse?> SetNodeReadyAsync(string id, bool ready, CancellationToken ct = default)
    {
        using var response = await _http.PostAsJsonAsync($"{VmPath(id)}/node-condition", new NodeConditionRequest(ready), ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<VmResponse>(response, ct);
    }

    /// <summary>Creates the cluster's load balancer and workload API, or returns the existing one.</summary>
    public async Task<ClusterResponse> EnsureClusterAsync(string ns, string name, CancellationToken ct = default)
    {
        using var response = await _http.PutAsync(ClusterPath(ns, name), content: null, ct);
        return await ReadAsync<ClusterResponse>(response, ct) ?? throw Empty(response);
    }

    public async Task<ClusterResponse?> GetClusterAsync(string ns, string name, CancellationToken ct = default)
    {
        using var response = await _http.GetAsync(ClusterPath(ns, name), ct);
        return response.StatusCode == HttpStatusCode.NotFound ? null : await ReadAsync<ClusterResponse>(response, ct);
    }

    /// <summary>Deletes the load balancer and the workload cluster; idempotent.</summary>
    public async Task DeleteClusterAsync(string ns, string name, CancellationToken ct = default)
    {
        using var response = await _http.DeleteAsync(ClusterPath(ns, name), ct);
        await EnsureSuccessAsync(response, ct);
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private static string VmPath(string id) => $"v1/vms/{Uri.EscapeDataString(id)}";

    private static string ClusterPath(string ns, string name) => $"v1/clusters/{Uri.EscapeDataString(ns)}/{Uri.EscapeDataString(name)}";

    private static async Task<T?> ReadAsync<T>(HttpResponseMessage response, CancellationToken ct)
    {
        await EnsureSuccessAsync(response, ct);
        return await response.Content.ReadFromJsonAsync<T>(ct);
    }

    private static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(ct);
        throw new InMemoryCloudException(response.StatusCode, body);
    }

    private static InMemoryCloudException Empty(HttpResponseMessage response) =>
        new(response.StatusCode, "The cloud returned an empty body.");
}

/// <summary>The cloud answered with an error status.</summary>
public sealed class InMemoryCloudException(HttpStatusCode status, string body)
    : Exception($"In-memory cloud returned {(int)status}: {body}")
{
    public HttpStatusCode Status { get; } = status;
}
