using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.ProviderCommon;

/// <summary>Reads and creates objects known only by a contract reference (<c>{apiGroup, kind, name}</c>) as
/// JSON, so a control plane works with any infrastructure provider's machine templates.</summary>
public static class ContractObjects
{
    /// <summary>The collection path of a kind (known kinds from the registry, others by CRD convention).</summary>
    public static string CollectionPath(string group, string kind, string ns) => CapiResources.For(group, kind).CollectionPath(ns);

    public static async Task<JsonObject?> GetAsync(KubeApi kube, string group, string kind, string ns, string name, CancellationToken ct)
    {
        try
        {
            return await kube.SendAsync<JsonObject>(HttpMethod.Get, $"{CollectionPath(group, kind, ns)}/{Uri.EscapeDataString(name)}", null, null, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    public static async Task<IReadOnlyList<JsonObject>> ListAsync(KubeApi kube, string group, string kind, string ns, string labelSelector,
        CancellationToken ct)
    {
        try
        {
            var page = await kube.SendAsync<JsonObject>(HttpMethod.Get,
                $"{CollectionPath(group, kind, ns)}?labelSelector={Uri.EscapeDataString(labelSelector)}", null, null, ct);
            return (page?["items"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return [];
        }
    }

    /// <summary>Creates the object, or returns the one that already has its name.</summary>
    public static async Task<JsonObject> CreateOrGetAsync(KubeApi kube, JsonObject obj, CancellationToken ct)
    {
        var apiVersion = obj["apiVersion"]!.GetValue<string>();
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        var kind = obj["kind"]!.GetValue<string>();
        var ns = obj["metadata"]!["namespace"]!.GetValue<string>();
        var name = obj["metadata"]!["name"]!.GetValue<string>();
        try
        {
            return await kube.SendAsync<JsonObject>(HttpMethod.Post, CollectionPath(group, kind, ns), obj.ToJsonString(), "application/json", ct)
                   ?? throw new InvalidOperationException($"Creating {kind} {ns}/{name} returned nothing.");
        }
        catch (KubeApiException e) when (e.IsAlreadyExists)
        {
            return await GetAsync(kube, group, kind, ns, name, ct)
                   ?? throw new InvalidOperationException($"{kind} {ns}/{name} exists but cannot be read.", e);
        }
    }
}
