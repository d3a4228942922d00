using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>The scale subresource: an autoscaling/v1 Scale view over the paths a CRD declares.</summary>
public sealed partial class Cluster
{
    public JsonObject GetScale(ResourceStore store, string? ns, string name)
    {
        var scale = ScaleOf(store.Type);
        return ToScale(scale, Get(store, ns, name).Parse());
    }

    /// <summary>Changes spec replicas through a Scale object (PUT or PATCH of /scale).</summary>
    public JsonObject UpdateScale(ResourceStore store, string? ns, string name, Func<JsonObject, JsonObject> change, WriteOptions opts)
    {
        var scale = ScaleOf(store.Type);
        lock (_gate)
        {
            var current = store.Get(StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(store.Type.Group, store.Type.Plural, name);
            var obj = current.Parse();
            var next = change(ToScale(scale, obj));
            if (next["spec"]?["replicas"] is not JsonValue replicas || !replicas.TryGetValue<int>(out var count) || count < 0)
                throw ApiException.Invalid("autoscaling", "Scale", name, "spec.replicas: Invalid value: must be greater than or equal to 0",
                    new StatusCause("FieldValueInvalid", "must be greater than or equal to 0", "spec.replicas"));
            if (next["metadata"]?["resourceVersion"]?.GetValue<string>() is { Length: > 0 } rv) ObjectRules.Meta(obj)["resourceVersion"] = rv;
            Set(obj, scale.SpecReplicasPath, count);
            var result = UpdateLocked(store, ns, name, obj, null, opts);
            return ToScale(scale, result.Object.Parse());
        }
    }

    private static ScaleSubresource ScaleOf(ResourceType type) =>
        type.Scale ?? throw ApiException.PathNotFound();

    private static JsonObject ToScale(ScaleSubresource scale, JsonObject obj)
    {
        var meta = ObjectRules.Meta(obj);
        var status = new JsonObject { ["replicas"] = Read(obj, scale.StatusReplicasPath)?.DeepClone() ?? 0 };
        if (scale.LabelSelectorPath is { } sel && Read(obj, sel) is JsonValue selector) status["selector"] = selector.DeepClone();
        var scaleMeta = new JsonObject();
        foreach (var key in new[] { "name", "namespace", "uid", "resourceVersion", "creationTimestamp" })
        {
            if (meta[key] is { } v) scaleMeta[key] = v.DeepClone();
        }
        return new JsonObject
        {
            ["kind"] = "Scale",
            ["apiVersion"] = "autoscaling/v1",
            ["metadata"] = scaleMeta,
            ["spec"] = new JsonObject { ["replicas"] = Read(obj, scale.SpecReplicasPath)?.DeepClone() ?? 0 },
            ["status"] = status,
        };
    }

    private static JsonNode? Read(JsonObject obj, string path)
    {
        JsonNode? node = obj;
        foreach (var seg in path.TrimStart('.').Split('.'))
            node = node is JsonObject o ? o[seg] : null;
        return node;
    }

    private static void Set(JsonObject obj, string path, int value)
    {
        var segs = path.TrimStart('.').Split('.');
        var node = obj;
        foreach (var seg in segs[..^1])
            node = node[seg] as JsonObject ?? (JsonObject)(node[seg] = new JsonObject());
        node[segs[^1]] = value;
    }
}
