using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Http;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Admission;

/// <summary>Writes as the handlers make them, passed through admission: mutating webhooks, the object validation
/// stage, validating webhooks, then storage.</summary>
/// <remarks>Webhooks are called outside the cluster's lock (a webhook may read from this server while it decides).
/// An update is therefore optimistic, as in kube-apiserver: the object is admitted as computed from the version
/// read, and committed only if that version is still current; otherwise admission runs again on the new one.
/// Without a webhook that names the resource the write goes straight to storage, as before.</remarks>
public static class AdmittedWrites
{
    private const int MaxAttempts = 10;

    public static async Task<WriteResult> CreateAsync(RequestContext c, JsonObject body)
    {
        var chain = c.Settings.Admission;
        var opts = c.WriteOptions;
        var type = c.Type;
        var meta = ObjectRules.Meta(body);
        if (type.Namespaced && c.Route.Namespace is { } routeNs && string.IsNullOrEmpty(ObjectRules.Text(meta, "namespace"))) meta["namespace"] = routeNs;
        var hooks = chain.Webhooks(c.Cluster);
        if (!hooks.Touches(type, null) && !HasBuiltInStage(c)) return c.Cluster.Create(c.Store, c.Route.Namespace, body, opts);
        var attrs = Attributes(c, "CREATE", ObjectRules.Text(meta, "name") ?? "", null, type.Namespaced ? ObjectRules.Text(meta, "namespace") : null, opts);
        if (!hooks.Touches(type, null))
        {
            BuiltInStage(c, attrs, body, null);
            return c.Cluster.Create(c.Store, c.Route.Namespace, body, opts);
        }
        var obj = await chain.MutateAsync(c.Cluster, attrs, body, null, hooks, w => Warn(c, w), c.Ct) ?? body;
        BuiltInStage(c, attrs, obj, null);
        var probe = c.Cluster.Create(c.Store, c.Route.Namespace, (JsonObject)obj.DeepClone(), opts with { DryRun = true });
        await chain.ValidateAsync(c.Cluster, attrs with { Name = probe.Object.Name }, Served(c, probe.Object), null, hooks, w => Warn(c, w), c.Ct);
        // The name (when generated), uid and creation time stay the ones the validating webhooks saw.
        ObjectRules.Meta(obj)["name"] = probe.Object.Name;
        var created = ObjectRules.Text(ObjectRules.Meta(JsonNode.Parse(probe.Object.Json)!.AsObject()), "creationTimestamp") ?? ObjectRules.Now();
        return opts.DryRun ? probe : c.Cluster.Create(c.Store, c.Route.Namespace, obj, opts with { Identity = (probe.Object.Uid, created) });
    }

    public static Task<WriteResult> UpdateAsync(RequestContext c, string name, JsonObject body, string? subresource)
    {
        var hooks = c.Settings.Admission.Webhooks(c.Cluster);
        if (AdmissionTypes.IsConfiguration(c.Type))
            return GuardedAsync(c, name, _ => (JsonObject)body.DeepClone(), subresource, createIfMissing: false, WebhookSet.None);
        if (hooks.Touches(c.Type, subresource))
            return GuardedAsync(c, name, _ => (JsonObject)body.DeepClone(), subresource, createIfMissing: false, hooks);
        if (HasBuiltInStage(c))
            BuiltInStage(c, Attributes(c, "UPDATE", name, subresource, c.Namespace, c.WriteOptions), body, c.Cluster.TryGet(c.Store, c.Namespace, name) is { } cur ? Served(c, cur) : null);
        return Task.FromResult(c.Cluster.Update(c.Store, c.Namespace, name, body, subresource, c.WriteOptions));
    }

    /// <param name="patch">Turns a copy of the current object (null when absent) into the patched object.</param>
    public static Task<WriteResult> PatchAsync(RequestContext c, string name, Func<JsonObject?, JsonObject> patch, string? subresource, bool createIfMissing)
    {
        var hooks = c.Settings.Admission.Webhooks(c.Cluster);
        if (AdmissionTypes.IsConfiguration(c.Type)) return GuardedAsync(c, name, patch, subresource, createIfMissing, WebhookSet.None);
        if (hooks.Touches(c.Type, subresource)) return GuardedAsync(c, name, patch, subresource, createIfMissing, hooks);
        var change = patch;
        if (HasBuiltInStage(c))
        {
            change = current =>
            {
                var old = (JsonObject?)current?.DeepClone();
                var next = patch(current);
                BuiltInStage(c, Attributes(c, old is null ? "CREATE" : "UPDATE", name, subresource, c.Namespace, c.WriteOptions), next, old);
                return next;
            };
        }
        return Task.FromResult(c.Cluster.Patch(c.Store, c.Namespace, name, change, subresource, c.WriteOptions, createIfMissing));
    }

    /// <summary>A write of the scale subresource: webhooks see the autoscaling/v1 Scale, as in Kubernetes.</summary>
    public static async Task<JsonObject> ScaleAsync(RequestContext c, string name, Func<JsonObject, JsonObject> change)
    {
        var chain = c.Settings.Admission;
        var opts = c.WriteOptions;
        var hooks = chain.Webhooks(c.Cluster);
        if (!hooks.Touches(c.Type, "scale") && !HasBuiltInStage(c)) return c.Cluster.UpdateScale(c.Store, c.Namespace, name, change, opts);
        var attrs = Attributes(c, "UPDATE", name, "scale", c.Namespace, opts) with { ObjectKind = ("autoscaling", "v1", "Scale") };
        if (!hooks.Touches(c.Type, "scale"))
        {
            return c.Cluster.UpdateScale(c.Store, c.Namespace, name, current =>
            {
                var old = (JsonObject)current.DeepClone();
                var next = change(current);
                BuiltInStage(c, attrs, next, old);
                return next;
            }, opts);
        }
        for (var attempt = 1; ; attempt++)
        {
            var old = c.Cluster.GetScale(c.Store, c.Namespace, name);
            var candidate = change((JsonObject)old.DeepClone());
            var obj = await chain.MutateAsync(c.Cluster, attrs, candidate, old, hooks, w => Warn(c, w), c.Ct) ?? candidate;
            BuiltInStage(c, attrs, obj, old);
            await chain.ValidateAsync(c.Cluster, attrs, obj, old, hooks, w => Warn(c, w), c.Ct);
            try
            {
                return c.Cluster.UpdateScale(c.Store, c.Namespace, name, now => Guard(now, Version(old), obj), opts);
            }
            catch (ChangedMeanwhileException) when (attempt < MaxAttempts)
            {
                // Changed between admission and commit: admit the new version.
            }
            catch (ChangedMeanwhileException)
            {
                throw ApiException.StaleResourceVersion(c.Type.Group, c.Type.Plural, name);
            }
        }
    }

    public static async Task<DeleteResult> DeleteAsync(RequestContext c, string name, DeleteRequest req)
    {
        var hooks = c.Settings.Admission.Webhooks(c.Cluster);
        if (!hooks.Touches(c.Type, null)) return c.Cluster.Delete(c.Store, c.Namespace, name, req);
        return await DeleteOneAsync(c, c.Namespace, name, req, hooks);
    }

    public static async Task<IReadOnlyList<DeleteResult>> DeleteCollectionAsync(RequestContext c, ListQuery query, DeleteRequest req)
    {
        var hooks = c.Settings.Admission.Webhooks(c.Cluster);
        if (!hooks.Touches(c.Type, null)) return c.Cluster.DeleteCollection(c.Store, query, req);
        var results = new List<DeleteResult>();
        foreach (var target in c.Cluster.List(c.Store, query with { Limit = 0, Continue = null }).Items)
        {
            try
            {
                results.Add(await DeleteOneAsync(c, target.Namespace, target.Name, req, hooks));
            }
            catch (ApiException e) when (e.Code == 404)
            {
                // Deleted meanwhile: nothing left to delete.
            }
        }
        return results;
    }

    private static async Task<DeleteResult> DeleteOneAsync(RequestContext c, string? ns, string name, DeleteRequest req, WebhookSet hooks)
    {
        var chain = c.Settings.Admission;
        for (var attempt = 1; ; attempt++)
        {
            var current = c.Cluster.Get(c.Store, ns, name);
            var old = Served(c, current);
            var options = AdmissionAttributes.OptionsFor("DELETE", req.DryRun, null);
            if (req.Policy is { } policy) options["propagationPolicy"] = policy.ToString();
            var attrs = Attributes(c, "DELETE", name, null, ns, c.WriteOptions with { DryRun = req.DryRun }) with { Options = options };
            await chain.MutateAsync(c.Cluster, attrs, null, old, hooks, w => Warn(c, w), c.Ct);
            await chain.ValidateAsync(c.Cluster, attrs, null, old, hooks, w => Warn(c, w), c.Ct);
            // Deleted only if still the version the webhooks saw; the caller's own precondition wins when given.
            var guarded = req.PreconditionResourceVersion is null
                ? req with { PreconditionResourceVersion = current.ResourceVersion.ToString(CultureInfo.InvariantCulture) }
                : req;
            try
            {
                var result = c.Cluster.Delete(c.Store, ns, name, guarded);
                return result;
            }
            catch (ApiException e) when (e.Code == 409 && req.PreconditionResourceVersion is null && attempt < MaxAttempts)
            {
                // Changed between admission and deletion: admit the new version.
            }
        }
    }

    private static async Task<WriteResult> GuardedAsync(RequestContext c, string name, Func<JsonObject?, JsonObject> candidateOf,
        string? subresource, bool createIfMissing, WebhookSet hooks)
    {
        var chain = c.Settings.Admission;
        var type = c.Type;
        var opts = c.WriteOptions;
        for (var attempt = 1; ; attempt++)
        {
            var current = c.Cluster.TryGet(c.Store, c.Namespace, name);
            if (current is null && !createIfMissing) throw ApiException.NotFound(type.Group, type.Plural, name);
            var old = current is null ? null : Served(c, current);
            var candidate = candidateOf(old is null ? null : (JsonObject)old.DeepClone());
            var attrs = Attributes(c, old is null ? "CREATE" : "UPDATE", name, subresource, c.Namespace, opts);
            var obj = await chain.MutateAsync(c.Cluster, attrs, candidate, old, hooks, w => Warn(c, w), c.Ct) ?? candidate;
            BuiltInStage(c, attrs, obj, old);
            var expected = current is null ? null : Version(current.ResourceVersion);
            try
            {
                WriteResult? probe = null;
                if (hooks.Validating.Count > 0 && !AdmissionTypes.IsConfiguration(type))
                {
                    probe = c.Cluster.Patch(c.Store, c.Namespace, name, now => Guard(now, expected, obj), subresource, opts with { DryRun = true }, createIfMissing);
                    await chain.ValidateAsync(c.Cluster, attrs, Served(c, probe.Object), old, hooks, w => Warn(c, w), c.Ct);
                }
                var result = opts.DryRun && probe is not null
                    ? probe
                    : c.Cluster.Patch(c.Store, c.Namespace, name, now => Guard(now, expected, obj), subresource, opts, createIfMissing);
                return result;
            }
            catch (ChangedMeanwhileException) when (attempt < MaxAttempts)
            {
                // Changed between admission and commit: admit the new version.
            }
            catch (ChangedMeanwhileException)
            {
                throw ApiException.StaleResourceVersion(c.Type.Group, c.Type.Plural, name);
            }
        }
    }

    /// <summary>The built-in stage between mutating and validating webhooks: the webhook configurations' own
    /// defaults and validation, then the object validation seam.</summary>
    private static void BuiltInStage(RequestContext c, AdmissionAttributes attrs, JsonObject obj, JsonObject? old)
    {
        if (AdmissionTypes.IsConfiguration(c.Type)) ConfigurationRules.DefaultAndValidate(c.Type, obj);
        c.Settings.Admission.ObjectValidation.Validate(attrs, obj, old);
    }

    /// <summary>Whether a write needs the built-in stage even without webhooks (configurations, or a validation seam set).</summary>
    private static bool HasBuiltInStage(RequestContext c) =>
        AdmissionTypes.IsConfiguration(c.Type) || c.Settings.Admission.ObjectValidation is not NoObjectValidation;

    private static JsonObject Guard(JsonObject? now, string? expected, JsonObject admitted)
    {
        var actual = now is null ? null : ObjectRules.Text(ObjectRules.Meta(now), "resourceVersion");
        if (actual != expected) throw new ChangedMeanwhileException();
        return (JsonObject)admitted.DeepClone();
    }

    private static string Version(long rv) => rv.ToString(CultureInfo.InvariantCulture);

    private static string? Version(JsonObject scale) => ObjectRules.Text(ObjectRules.Meta(scale), "resourceVersion");

    private static JsonObject Served(RequestContext c, StoredObject stored) => JsonNode.Parse(c.Serve(stored))!.AsObject();

    private static AdmissionAttributes Attributes(RequestContext c, string op, string name, string? subresource, string? ns, WriteOptions opts) => new()
    {
        Operation = op,
        Type = c.Type,
        Version = c.Route.Version,
        Subresource = subresource,
        Namespace = ns,
        Name = name,
        DryRun = opts.DryRun,
        Options = AdmissionAttributes.OptionsFor(op, opts.DryRun, opts.FieldManager),
    };

    /// <summary>A webhook's warning goes to the client at once, so a denial carries it too (as in Kubernetes).</summary>
    private static void Warn(RequestContext c, string w) =>
        c.Response.Headers.Append("Warning", $"299 - \"{w.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");

    /// <summary>The object changed between admission and commit: admit again.</summary>
    private sealed class ChangedMeanwhileException : Exception;
}
