using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Admission;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Storage;
using ServerlessCapi.EmbeddedApiServer.Table;

namespace ServerlessCapi.EmbeddedApiServer.Http;

/// <summary>get, list, create, update and delete of a resource (watch and patch have their own files).</summary>
public static class ResourceHandlers
{
    public static async Task GetAsync(RequestContext c)
    {
        var name = c.Route.Name!;
        if (c.Route.Subresource == "scale")
        {
            await HttpIo.WriteAsync(c.Response, 200, c.Cluster.GetScale(c.Store, c.Namespace, name), c.Ct);
            return;
        }
        CheckSubresource(c, allowScale: false);
        var obj = c.Cluster.Get(c.Store, c.Namespace, name);
        if (c.WantsTable)
        {
            var table = TableBuilder.Build(c.Store.Type, c.Route.Version, [obj], obj.ResourceVersion, null, c.IncludeObject);
            await HttpIo.WriteAsync(c.Response, 200, table, c.Ct);
            return;
        }
        await HttpIo.WriteBytesAsync(c.Response, 200, c.Serve(obj), c.Ct);
    }

    public static async Task ListAsync(RequestContext c)
    {
        var limit = int.TryParse(c.Query("limit"), out var l) && l > 0 ? l : 0;
        var page = c.Cluster.List(c.Store, new ListQuery(c.Namespace, c.Labels, c.Fields, limit, c.Query("continue")));
        if (c.WantsTable)
        {
            var table = TableBuilder.Build(c.Store.Type, c.Route.Version, page.Items, page.ResourceVersion, page.Continue, c.IncludeObject);
            await HttpIo.WriteAsync(c.Response, 200, table, c.Ct);
            return;
        }
        var meta = new StringBuilder("{\"resourceVersion\":\"").Append(page.ResourceVersion.ToString(CultureInfo.InvariantCulture)).Append('"');
        if (page.Continue is not null) meta.Append(",\"continue\":\"").Append(page.Continue).Append('"');
        meta.Append('}');
        var type = c.Type;
        // Stream the stored bytes straight into the response: no list-sized buffer, no re-serialising.
        c.Response.StatusCode = 200;
        c.Response.ContentType = HttpIo.Json;
        var writer = c.Response.BodyWriter;
        writer.Write(Encoding.UTF8.GetBytes($"{{\"kind\":\"{type.ListKind}\",\"apiVersion\":\"{type.GroupVersion(c.Route.Version)}\",\"metadata\":{meta},\"items\":["));
        for (var i = 0; i < page.Items.Count; i++)
        {
            if (i > 0) writer.Write(","u8);
            writer.Write(c.Serve(page.Items[i]));
            if (i % 512 == 511) await writer.FlushAsync(c.Ct);
        }
        writer.Write("]}"u8);
        await writer.FlushAsync(c.Ct);
    }

    public static async Task CreateAsync(RequestContext c)
    {
        if (c.Route.Name is not null) throw ApiException.MethodNotSupported(c.Type.Plural, "create");
        var body = await HttpIo.ReadObjectAsync(c.Request, c.Ct);
        c.Stamp(body);
        body = c.AsStored(body, create: true);
        var result = await AdmittedWrites.CreateAsync(c, body);
        c.Warn(result);
        await HttpIo.WriteBytesAsync(c.Response, 201, c.Serve(result.Object), c.Ct);
    }

    public static async Task UpdateAsync(RequestContext c)
    {
        var name = c.Route.Name ?? throw ApiException.MethodNotSupported(c.Type.Plural, "update");
        var body = await HttpIo.ReadObjectAsync(c.Request, c.Ct);
        if (c.Route.Subresource == "scale")
        {
            var scale = await AdmittedWrites.ScaleAsync(c, name, _ => body);
            await HttpIo.WriteAsync(c.Response, 200, scale, c.Ct);
            return;
        }
        CheckSubresource(c, allowScale: false);
        c.Stamp(body);
        body = c.AsStored(body, create: false);
        var subresource = c.Route.Subresource == "status" ? "status" : null;
        var result = await AdmittedWrites.UpdateAsync(c, name, body, subresource);
        c.Warn(result);
        await HttpIo.WriteBytesAsync(c.Response, 200, c.Serve(result.Object), c.Ct);
    }

    public static async Task DeleteAsync(RequestContext c)
    {
        var options = await DeleteOptionsAsync(c);
        if (c.Route.Name is null)
        {
            var results = await AdmittedWrites.DeleteCollectionAsync(c, new ListQuery(c.Namespace, c.Labels, c.Fields, 0, null), options);
            var items = new JsonArray(results.Select(r => JsonNode.Parse(c.Serve(r.Object))).ToArray());
            var list = new JsonObject
            {
                ["kind"] = c.Type.ListKind,
                ["apiVersion"] = c.Type.GroupVersion(c.Route.Version),
                ["metadata"] = new JsonObject { ["resourceVersion"] = c.Cluster.CurrentResourceVersion.ToString(CultureInfo.InvariantCulture) },
                ["items"] = items,
            };
            await HttpIo.WriteAsync(c.Response, 200, list, c.Ct);
            return;
        }
        var result = await AdmittedWrites.DeleteAsync(c, c.Route.Name, options);
        if (result.Removed && !c.Type.DeleteReturnsObject)
        {
            var status = StatusBody.Success(new StatusDetails(result.Object.Name, c.Type.Group, c.Type.Plural) { Uid = result.Object.Uid });
            await HttpIo.WriteAsync(c.Response, 200, status, c.Ct);
            return;
        }
        await HttpIo.WriteBytesAsync(c.Response, 200, c.Serve(result.Object), c.Ct);
    }

    private static async Task<DeleteRequest> DeleteOptionsAsync(RequestContext c)
    {
        var body = await HttpIo.ReadBodyAsync(c.Request, c.Ct) as JsonObject;
        var policyText = body?["propagationPolicy"]?.GetValue<string>() ?? c.Query("propagationPolicy");
        Propagation? policy = policyText switch
        {
            "" or null => null,
            "Background" => Propagation.Background,
            "Foreground" => Propagation.Foreground,
            "Orphan" => Propagation.Orphan,
            _ => throw ApiException.BadRequest($"propagationPolicy: Unsupported value: \"{policyText}\": supported values: \"Foreground\", \"Background\", \"Orphan\""),
        };
        var orphan = body?["orphanDependents"]?.GetValue<bool>() ?? (c.Query("orphanDependents") is { Length: > 0 } o ? bool.Parse(o) : (bool?)null);
        if (policy is null && orphan is { } orphanDependents) policy = orphanDependents ? Propagation.Orphan : Propagation.Background;
        var dryRunValues = (body?["dryRun"] as JsonArray)?.Select(v => v?.GetValue<string>()) ?? c.Request.Query["dryRun"].ToArray();
        return new DeleteRequest(policy,
            body?["preconditions"]?["uid"]?.GetValue<string>(),
            body?["preconditions"]?["resourceVersion"]?.GetValue<string>(),
            RequestContext.DryRun(dryRunValues));
    }

    private static void CheckSubresource(RequestContext c, bool allowScale)
    {
        var sub = c.Route.Subresource;
        if (sub is null) return;
        if (sub == "status" && c.Type.HasStatus) return;
        if (sub == "scale" && allowScale && c.Type.Scale is not null) return;
        throw ApiException.PathNotFound();
    }
}
