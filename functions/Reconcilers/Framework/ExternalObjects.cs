using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>Reads and writes objects known only through a contract reference (an infrastructure machine,
/// a bootstrap config, a control plane): as JSON, reading the contract fields by path, like CAPI's
/// unstructured access.</summary>
public static class ExternalObjects
{
    public static async Task<JsonObject?> GetAsync(this KubeApi kube, string ns, ContractVersionedObjectReference reference, CancellationToken ct)
    {
        var resource = CapiResources.For(reference);
        try
        {
            return await kube.SendAsync<JsonObject>(HttpMethod.Get, $"{resource.CollectionPath(ns)}/{Uri.EscapeDataString(reference.Name)}", null, null, ct);
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>The object a reference inside another object's JSON names (its apiGroup, kind and name); null when the
    /// reference is incomplete or the object does not exist.</summary>
    public static Task<JsonObject?> GetReferencedAsync(this KubeApi kube, string ns, JsonNode? reference, CancellationToken ct) =>
        Text(reference, "apiGroup") is { } group && Text(reference, "kind") is { } kind && Text(reference, "name") is { } name
            ? kube.GetAsync(ns, new ContractVersionedObjectReference { ApiGroup = group, Kind = kind, Name = name }, ct)
            : Task.FromResult<JsonObject?>(null);

    /// <summary>Applies a merge patch fenced by the object's resourceVersion (a concurrent change makes it 409).</summary>
    public static async Task<JsonObject> PatchAsync(this KubeApi kube, JsonObject obj, JsonObject patch, CancellationToken ct)
    {
        var resource = ResourceOf(obj);
        patch["metadata"] ??= new JsonObject();
        patch["metadata"]!["resourceVersion"] = Text(obj, "metadata", "resourceVersion");
        var path = $"{resource.CollectionPath(Text(obj, "metadata", "namespace"))}/{Uri.EscapeDataString(Text(obj, "metadata", "name")!)}";
        return await kube.SendAsync<JsonObject>(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json", ct)
               ?? throw new KubeApiException(System.Net.HttpStatusCode.InternalServerError, "EmptyResponse", $"PATCH {path} returned no object");
    }

    /// <summary>Deletes the object with a uid precondition (never a namesake). False when it was already gone.</summary>
    public static async Task<bool> DeleteAsync(this KubeApi kube, JsonObject obj, CancellationToken ct)
    {
        var resource = ResourceOf(obj);
        var body = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "DeleteOptions",
            ["propagationPolicy"] = "Background",
            ["preconditions"] = new JsonObject { ["uid"] = Text(obj, "metadata", "uid") },
        };
        var path = $"{resource.CollectionPath(Text(obj, "metadata", "namespace"))}/{Uri.EscapeDataString(Text(obj, "metadata", "name")!)}";
        try
        {
            await kube.SendAsync<JsonObject>(HttpMethod.Delete, path, body.ToJsonString(), "application/json", ct);
            return true;
        }
        catch (KubeApiException e) when (e.IsNotFound || e.IsConflict)
        {
            return false;
        }
    }

    /// <summary>A string field by path, or null.</summary>
    public static string? Text(JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node?[p];
        return node is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;
    }

    /// <summary>A boolean field by path (false when missing).</summary>
    public static bool Flag(JsonNode? node, params string[] path)
    {
        foreach (var p in path) node = node?[p];
        return node is JsonValue v && v.TryGetValue<bool>(out var b) && b;
    }

    /// <summary>The object's v1beta2 conditions (status.conditions), parsed.</summary>
    public static List<Condition> ConditionsOf(JsonObject? obj)
    {
        var list = new List<Condition>();
        foreach (var c in (obj?["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Text(c, "type") is not { } type) continue;
            _ = DateTime.TryParse(Text(c, "lastTransitionTime"), System.Globalization.CultureInfo.InvariantCulture,
                System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal, out var t);
            list.Add(new Condition
            {
                Type = type,
                Status = Text(c, "status") ?? ConditionStatus.Unknown,
                Reason = Text(c, "reason") ?? "",
                Message = Text(c, "message") ?? "",
                LastTransitionTime = t,
            });
        }
        return list;
    }

    public static bool IsDeleting(JsonObject? obj) => obj?["metadata"]?["deletionTimestamp"] is not null;

    private static KubeResource ResourceOf(JsonObject obj)
    {
        var apiVersion = Text(obj, "apiVersion") ?? "";
        var group = apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        return CapiResources.For(group, Text(obj, "kind") ?? "");
    }
}

/// <summary>Listing objects of any served kind as JSON.</summary>
public static class ExternalLists
{
    /// <summary>Every object of <paramref name="resource"/> in the namespace matching the label selector.</summary>
    public static async Task<IReadOnlyList<JsonObject>> ListJsonAsync(this KubeApi kube, KubeResource resource, string? ns, string? labelSelector,
        CancellationToken ct)
    {
        var items = new List<JsonObject>();
        string? cont = null;
        do
        {
            var query = new List<string> { "limit=500" };
            if (labelSelector is not null) query.Add("labelSelector=" + Uri.EscapeDataString(labelSelector));
            if (cont is not null) query.Add("continue=" + Uri.EscapeDataString(cont));
            JsonObject? page;
            try
            {
                page = await kube.SendAsync<JsonObject>(HttpMethod.Get, $"{resource.CollectionPath(ns)}?{string.Join('&', query)}", null, null, ct);
            }
            catch (KubeApiException e) when (e.IsNotFound)
            {
                return items; // The kind is not served here (its CRD is not installed).
            }
            foreach (var item in (page?["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                item["apiVersion"] ??= resource.ApiVersion;
                item["kind"] ??= resource.Kind;
                items.Add(item);
            }
            cont = ExternalObjects.Text(page, "metadata", "continue");
        }
        while (cont is not null);
        return items;
    }
}
