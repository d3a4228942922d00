using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Discovery;

/// <summary>The discovery documents: legacy (APIVersions, APIGroupList, APIGroup, APIResourceList) and
/// aggregated (apidiscovery.k8s.io/v2 APIGroupDiscoveryList), built from the cluster's served types.</summary>
public static class DiscoveryDocuments
{
    public const string AggregatedContentType = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";

    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly string[] SubresourceVerbs = ["get", "patch", "update"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0+scapi",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2025-01-01T00:00:00Z",
        ["goVersion"] = "go1.23.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject ApiVersions(string hostPort) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = hostPort }),
    };

    public static JsonObject GroupList(IReadOnlyList<ResourceType> types) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(Groups(types).Select(g => (JsonNode?)Group(g.Key, g.Value)).ToArray()),
    };

    public static JsonObject? GroupDocument(IReadOnlyList<ResourceType> types, string group) =>
        Groups(types).TryGetValue(group, out var versions) ? Group(group, versions) : null;

    public static JsonObject? ResourceList(IReadOnlyList<ResourceType> types, string group, string version)
    {
        var served = types.Where(t => t.Group == group && t.Serves(version)).OrderBy(t => t.Plural, StringComparer.Ordinal).ToList();
        if (served.Count == 0) return null;
        var resources = new JsonArray();
        foreach (var t in served)
        {
            resources.Add(new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = Strings(AllVerbs),
                ["shortNames"] = Strings(t.ShortNames),
                ["categories"] = Strings(t.Categories),
                ["storageVersionHash"] = Hash(t),
            });
            if (t.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{t.Plural}/status",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = Strings(SubresourceVerbs),
                });
            }
            if (t.Scale is not null)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = $"{t.Plural}/scale",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["group"] = "autoscaling",
                    ["version"] = "v1",
                    ["kind"] = "Scale",
                    ["verbs"] = Strings(SubresourceVerbs),
                });
            }
        }
        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    /// <summary>The aggregated document for /api (core only) or /apis (every named group).</summary>
    public static JsonObject Aggregated(IReadOnlyList<ResourceType> types, bool core)
    {
        var items = new JsonArray();
        foreach (var (group, versions) in Groups(types).Where(g => (g.Key.Length == 0) == core))
        {
            var versionDocs = new JsonArray();
            foreach (var v in versions)
            {
                var resources = new JsonArray();
                foreach (var t in types.Where(t => t.Group == group && t.Serves(v)).OrderBy(t => t.Plural, StringComparer.Ordinal))
                    resources.Add(AggregatedResource(t, v));
                versionDocs.Add(new JsonObject { ["version"] = v, ["resources"] = resources, ["freshness"] = "Current" });
            }
            items.Add(new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = group, ["creationTimestamp"] = null },
                ["versions"] = versionDocs,
            });
        }
        return new JsonObject
        {
            ["kind"] = "APIGroupDiscoveryList",
            ["apiVersion"] = "apidiscovery.k8s.io/v2",
            ["metadata"] = new JsonObject(),
            ["items"] = items,
        };
    }

    private static JsonObject AggregatedResource(ResourceType t, string version)
    {
        var subresources = new JsonArray();
        if (t.HasStatus)
        {
            subresources.Add(new JsonObject
            {
                ["subresource"] = "status",
                ["responseKind"] = Gvk(t.Group, version, t.Kind),
                ["verbs"] = Strings(SubresourceVerbs),
            });
        }
        if (t.Scale is not null)
        {
            subresources.Add(new JsonObject
            {
                ["subresource"] = "scale",
                ["responseKind"] = Gvk("autoscaling", "v1", "Scale"),
                ["verbs"] = Strings(SubresourceVerbs),
            });
        }
        var doc = new JsonObject
        {
            ["resource"] = t.Plural,
            ["responseKind"] = Gvk(t.Group, version, t.Kind),
            ["scope"] = t.Namespaced ? "Namespaced" : "Cluster",
            ["singularResource"] = t.Singular,
            ["verbs"] = Strings(AllVerbs),
        };
        if (t.ShortNames.Count > 0) doc["shortNames"] = Strings(t.ShortNames);
        if (t.Categories.Count > 0) doc["categories"] = Strings(t.Categories);
        if (subresources.Count > 0) doc["subresources"] = subresources;
        return doc;
    }

    private static SortedDictionary<string, IReadOnlyList<string>> Groups(IReadOnlyList<ResourceType> types)
    {
        var groups = new SortedDictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var g in types.GroupBy(t => t.Group))
            groups[g.Key] = VersionPriority.Sort(g.SelectMany(t => t.Versions).Distinct());
        return groups;
    }

    private static JsonObject Group(string name, IReadOnlyList<string> versions)
    {
        JsonObject Gv(string v) => new() { ["groupVersion"] = $"{name}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = name,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode?)Gv(v)).ToArray()),
            ["preferredVersion"] = Gv(versions[0]),
        };
    }

    private static JsonObject Gvk(string group, string version, string kind) =>
        new() { ["group"] = group, ["version"] = version, ["kind"] = kind };

    private static JsonArray Strings(IEnumerable<string> values) =>
        new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static string Hash(ResourceType t) =>
        Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{t.Group}/{t.StorageVersion}/{t.Plural}")))[..11];
}
