using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Discovery;

/// <summary>Minimal OpenAPI v3 documents: enough for kubectl to find that the server validates fields itself
/// (the fieldValidation parameter), so it neither fails nor falls back to client-side schema validation.</summary>
public static class OpenApiDocuments
{
    public static JsonObject Index(IReadOnlyList<ResourceType> types, long discoveryVersion)
    {
        var paths = new JsonObject();
        foreach (var gv in types.SelectMany(t => t.Versions.Select(v => (t.Group, Version: v))).Distinct())
        {
            var path = gv.Group.Length == 0 ? $"api/{gv.Version}" : $"apis/{gv.Group}/{gv.Version}";
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={discoveryVersion:X16}" };
        }
        return new JsonObject { ["paths"] = paths };
    }

    /// <summary>The document of one group-version, or null when it is not served.</summary>
    public static JsonObject? GroupVersion(IReadOnlyList<ResourceType> types, string path)
    {
        var parts = path.Split('/');
        var (group, version) = parts switch
        {
            ["api", var v] => ("", v),
            ["apis", var g, var v] => (g, v),
            _ => ("", ""),
        };
        var served = types.Where(t => t.Group == group && t.Serves(version)).ToList();
        if (served.Count == 0) return null;
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var t in served)
        {
            var prefix = group.Length == 0 ? $"/api/{version}" : $"/apis/{group}/{version}";
            var collection = t.Namespaced ? $"{prefix}/namespaces/{{namespace}}/{t.Plural}" : $"{prefix}/{t.Plural}";
            var schemaName = $"{(group.Length == 0 ? "io.k8s.api.core" : string.Join('.', group.Split('.').Reverse()))}.{version}.{t.Kind}";
            var gvk = new JsonArray(new JsonObject { ["group"] = group, ["version"] = version, ["kind"] = t.Kind });
            paths[collection] = new JsonObject { ["post"] = Operation(schemaName, gvk, "post") };
            paths[$"{collection}/{{name}}"] = new JsonObject
            {
                ["put"] = Operation(schemaName, gvk, "put"),
                ["patch"] = Operation(schemaName, gvk, "patch"),
            };
            var schema = t.Schema?.DeepClone() as JsonObject ?? new JsonObject { ["type"] = "object" };
            schema["x-kubernetes-group-version-kind"] = gvk.DeepClone();
            schemas[schemaName] = schema;
        }
        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static JsonObject Operation(string schemaName, JsonArray gvk, string verb) => new()
    {
        ["operationId"] = $"{verb}{schemaName.Split('.')[^1]}",
        ["parameters"] = new JsonArray(
            Param("dryRun"), Param("fieldManager"), Param("fieldValidation")),
        ["responses"] = new JsonObject
        {
            ["200"] = new JsonObject
            {
                ["description"] = "OK",
                ["content"] = new JsonObject
                {
                    ["application/json"] = new JsonObject { ["schema"] = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" } },
                },
            },
        },
        ["x-kubernetes-action"] = verb,
        ["x-kubernetes-group-version-kind"] = gvk[0]!.DeepClone(),
    };

    private static JsonObject Param(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = "string", ["uniqueItems"] = true },
    };
}
