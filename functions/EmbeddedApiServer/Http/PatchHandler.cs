using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Admission;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Patch;

namespace ServerlessCapi.EmbeddedApiServer.Http;

/// <summary>PATCH of an object, its status or its scale, in the four patch formats Kubernetes serves.</summary>
public static class PatchHandler
{
    public static async Task PatchAsync(RequestContext c)
    {
        var name = c.Route.Name ?? throw ApiException.MethodNotSupported(c.Type.Plural, "patch");
        var contentType = (c.Request.ContentType ?? "").Split(';')[0].Trim();
        var type = c.Type;
        var body = await HttpIo.ReadBodyAsync(c.Request, c.Ct) ?? throw ApiException.BadRequest("the body of the request was empty");
        Func<JsonObject, JsonObject> apply = contentType switch
        {
            "application/merge-patch+json" => current => MergePatch.Apply(current, AsObject(body)),
            "application/json-patch+json" => current => JsonPatch.Apply(current, body),
            "application/strategic-merge-patch+json" when type.StrategicMerge =>
                current => StrategicMergePatch.Apply(type, current, AsObject(body)),
            "application/apply-patch+yaml" => current => ApplyPatch.Apply(type, current, (JsonObject)AsObject(body).DeepClone(), c.Route.Version),
            _ => throw ApiException.UnsupportedMediaType(contentType),
        };
        var isApply = contentType == "application/apply-patch+yaml";
        if (isApply && string.IsNullOrEmpty(c.Query("fieldManager")))
            throw ApiException.Invalid("meta.k8s.io", "PatchOptions", "", "fieldManager: Required value: is required for apply patch",
                new StatusCause("FieldValueRequired", "Required value: is required for apply patch", "fieldManager"));

        if (c.Route.Subresource == "scale")
        {
            var scale = await AdmittedWrites.ScaleAsync(c, name, apply);
            await HttpIo.WriteAsync(c.Response, 200, scale, c.Ct);
            return;
        }
        if (c.Route.Subresource is { } sub && !(sub == "status" && type.HasStatus)) throw ApiException.PathNotFound();

        var result = await AdmittedWrites.PatchAsync(c, name, current =>
        {
            if (current is null)
            {
                // Server-side apply of an absent object creates it from the applied configuration.
                var created = (JsonObject)AsObject(body).DeepClone();
                c.Stamp(created);
                ApplyPatch.Apply(type, null, created, c.Route.Version);
                return c.AsStored(created, create: true);
            }
            // The patch applies to the object as this API serves it (events.k8s.io field names, say).
            var patched = apply(c.AsServed(current));
            c.Stamp(patched);
            return c.AsStored(patched, create: false);
        }, c.Route.Subresource, createIfMissing: isApply && c.Route.Subresource is null);
        c.Warn(result);
        await HttpIo.WriteBytesAsync(c.Response, result.Created ? 201 : 200, c.Serve(result.Object), c.Ct);
    }

    private static JsonObject AsObject(JsonNode body) =>
        body as JsonObject ?? throw ApiException.BadRequest("the patch body must be a JSON object");
}
