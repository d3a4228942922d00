using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Validation;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>The outcome of a write: the object as stored (or as it would be, for a dry run).</summary>
public sealed record WriteResult(StoredObject Object, bool Created)
{
    /// <summary>Warnings for the client (unknown fields under fieldValidation=Warn), sent as Warning headers.</summary>
    public IReadOnlyList<string> Warnings { get; init; } = [];
}

public sealed partial class Cluster
{
    public WriteResult Create(ResourceStore store, string? ns, JsonObject body, WriteOptions opts)
    {
        lock (_gate) return CreateLocked(store, ns, body, opts);
    }

    public WriteResult Update(ResourceStore store, string? ns, string name, JsonObject body, string? subresource, WriteOptions opts)
    {
        lock (_gate)
        {
            UidPrecondition(store, ns, name, body);
            return UpdateLocked(store, ns, name, body, subresource, opts);
        }
    }

    /// <summary>As kube-apiserver: a replace that names a uid makes it a storage precondition, so a different uid is a
    /// 409 Conflict worded as its storage layer words it (a patch that changes the uid is a 422 instead).</summary>
    private static void UidPrecondition(ResourceStore store, string? ns, string name, JsonObject body)
    {
        var type = store.Type;
        if (ObjectRules.Text(ObjectRules.Meta(body), "uid") is not { Length: > 0 } uid) return;
        if (store.Get(StoredObject.KeyOf(type.Namespaced ? ns : null, name)) is not { } current) return;
        var stored = ObjectRules.Text(ObjectRules.Meta(current.Parse()), "uid");
        if (uid == stored) return;
        var resource = type.Behavior is KindBehavior.Custom or KindBehavior.CustomResourceDefinition && type.Group.Length > 0
            ? $"{type.Group}/{type.Plural}"
            : type.Plural;
        var key = ns is null || !type.Namespaced ? $"/registry/{resource}/{name}" : $"/registry/{resource}/{ns}/{name}";
        throw ApiException.Conflict(type.Group, type.Plural, name,
            $"StorageError: invalid object, Code: 4, Key: {key}, ResourceVersion: 0, AdditionalErrorMsg: Precondition failed: UID in precondition: {uid}, UID in object meta: {stored}");
    }

    /// <summary>Applies a patch to the current object under the lock (so it can never patch a stale copy).</summary>
    /// <param name="patch">Gets a mutable copy of the current object (null when it does not exist) and returns the result.</param>
    /// <param name="createIfMissing">Server-side apply creates the object when it is absent.</param>
    public WriteResult Patch(ResourceStore store, string? ns, string name, Func<JsonObject?, JsonObject> patch,
        string? subresource, WriteOptions opts, bool createIfMissing = false)
    {
        lock (_gate)
        {
            var current = store.Get(StoredObject.KeyOf(ns, name));
            if (current is null && !createIfMissing) throw ApiException.NotFound(store.Type.Group, store.Type.Plural, name);
            var patched = patch(current?.Parse());
            var meta = ObjectRules.Meta(patched);
            if (ObjectRules.Text(meta, "name") is { } patchedName && patchedName != name)
                throw ApiException.BadRequest($"the name of the object ({patchedName}) does not match the name on the URL ({name})");
            meta["name"] = name;
            return current is null
                ? CreateLocked(store, ns, patched, opts)
                : UpdateLocked(store, ns, name, patched, subresource, opts);
        }
    }

    private WriteResult CreateLocked(ResourceStore store, string? ns, JsonObject obj, WriteOptions opts)
    {
        var type = store.Type;
        var meta = ObjectRules.Meta(obj);
        ns = ScopeNamespace(type, ns, meta);
        var name = ObjectRules.Text(meta, "name");
        if (string.IsNullOrEmpty(name))
        {
            var prefix = ObjectRules.Text(meta, "generateName");
            if (string.IsNullOrEmpty(prefix))
            {
                const string msg = "metadata.name: Required value: name or generateName is required";
                throw ApiException.Invalid(type.Group, type.Kind, "", msg, new StatusCause("FieldValueRequired", "Required value: name or generateName is required", "metadata.name"));
            }
            name = ObjectRules.Generate(prefix);
            meta["name"] = name;
        }
        ObjectRules.ValidateName(type, name);
        if (ObjectRules.Text(meta, "resourceVersion") is { Length: > 0 })
            throw ApiException.BadRequest("resourceVersion should not be set on objects to be created");
        if (ns is not null)
        {
            if (!NamespaceActive(ns, out var terminating)) throw ApiException.NotFound("", "namespaces", ns);
            if (terminating)
                throw ApiException.Forbidden($"{type.Plural} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated");
        }

        meta["uid"] = opts.Identity?.Uid ?? Guid.NewGuid().ToString();
        meta["creationTimestamp"] = opts.Identity?.CreationTimestamp ?? ObjectRules.Now();
        meta.Remove("deletionTimestamp");
        meta.Remove("deletionGracePeriodSeconds");
        meta.Remove("selfLink");
        meta.Remove("managedFields");
        if (type.Behavior is KindBehavior.Custom or KindBehavior.CustomResourceDefinition) meta["generation"] = 1;
        else meta.Remove("generation");
        if (type.Behavior == KindBehavior.Custom && type.HasStatus) obj.Remove("status");
        var warnings = FieldValidation.Check(type, name, KindRules.OnCreate(type, obj), opts);
        ObjectValidator.OnCreate(type, obj); // schema, rules and metadata, after defaulting and pruning
        // As kube-apiserver: decoding and validation answer before storage finds the name taken.
        if (store.Get(StoredObject.KeyOf(ns, name)) is not null) throw ApiException.AlreadyExists(type.Group, type.Plural, name);
        ObjectRules.Order(obj, type);

        if (opts.DryRun) return new WriteResult(StoredObject.From(obj), true) { Warnings = warnings };
        return new WriteResult(CommitPut(store, obj, null), true) { Warnings = warnings };
    }

    private WriteResult UpdateLocked(ResourceStore store, string? ns, string name, JsonObject body, string? subresource, WriteOptions opts)
    {
        var type = store.Type;
        var bodyMeta = ObjectRules.Meta(body);
        ns = ScopeNamespace(type, ns, bodyMeta);
        if (ObjectRules.Text(bodyMeta, "name") is { } bodyName && bodyName != name)
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        var current = store.Get(StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type.Group, type.Plural, name);
        if (ObjectRules.Text(bodyMeta, "resourceVersion") is { Length: > 0 } rv
            && rv != current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw ApiException.StaleResourceVersion(type.Group, type.Plural, name);

        var old = current.Parse();
        var oldMeta = ObjectRules.Meta(old);
        var requestedUid = ObjectRules.Text(bodyMeta, "uid");
        JsonObject next;
        if (subresource == "status")
        {
            // The status subresource writes status only; everything else stays as it was.
            next = (JsonObject)old.DeepClone();
            if (body["status"] is { } status) next["status"] = status.DeepClone();
            else next.Remove("status");
        }
        else
        {
            next = body;
            if (type.HasStatus)
            {
                if (old["status"] is { } status) next["status"] = status.DeepClone();
                else next.Remove("status");
            }
        }
        var meta = ObjectRules.Meta(next);
        meta["name"] = name;
        if (ns is null) meta.Remove("namespace");
        else meta["namespace"] = ns;
        foreach (var key in new[] { "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
        {
            if (oldMeta[key] is { } value) meta[key] = value.DeepClone();
            else meta.Remove(key);
        }
        meta.Remove("selfLink");
        meta.Remove("managedFields");
        meta["resourceVersion"] = oldMeta["resourceVersion"]!.DeepClone();
        if (next["apiVersion"] is null) next["apiVersion"] = current.ApiVersion;
        if (next["kind"] is null) next["kind"] = type.Kind;
        var warnings = FieldValidation.Check(type, name, KindRules.OnUpdate(type, old, next), opts);
        ObjectValidator.OnUpdate(type, old, next, requestedUid, subresource); // after defaulting and pruning
        ObjectRules.Order(next, type);

        var deleting = oldMeta["deletionTimestamp"] is not null;
        if (deleting)
        {
            var added = ObjectRules.Finalizers(next).Except(ObjectRules.Finalizers(old)).ToList();
            if (added.Count > 0)
            {
                var msg = $"metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{{\"{string.Join("\", \"", added)}\"}}";
                throw ApiException.Invalid(type.Group, type.Kind, name, msg, new StatusCause("FieldValueForbidden", msg, "metadata.finalizers"));
            }
        }
        if (type.Behavior is KindBehavior.Custom or KindBehavior.CustomResourceDefinition
            && ObjectRules.SpecChanged(old, next, type.HasStatus))
            meta["generation"] = ObjectRules.Generation(old) + 1;

        if (ObjectRules.SameContent(old, next)) return new WriteResult(current, false) { Warnings = warnings };
        if (opts.DryRun) return new WriteResult(StoredObject.From(next), false) { Warnings = warnings };
        if (deleting && ObjectRules.Finalizers(next).Count == 0 && !KindRules.HasSpecFinalizers(type, next))
        {
            // The update that clears the last finalizer of a deleting object removes it.
            var removedNow = StoredObject.From(next);
            store.Put(removedNow);
            Index(store, current, removedNow);
            return new WriteResult(CommitRemove(store, removedNow), false) { Warnings = warnings };
        }
        return new WriteResult(CommitPut(store, next, current), false) { Warnings = warnings };
    }

    /// <summary>Checks the object's namespace against the request's and returns the effective one.</summary>
    private static string? ScopeNamespace(ResourceType type, string? ns, JsonObject meta)
    {
        if (!type.Namespaced)
        {
            meta.Remove("namespace");
            return null;
        }
        var bodyNs = ObjectRules.Text(meta, "namespace");
        if (bodyNs is { Length: > 0 } && ns is not null && bodyNs != ns)
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        ns ??= bodyNs;
        if (string.IsNullOrEmpty(ns)) throw ApiException.BadRequest("an empty namespace may not be set during creation");
        meta["namespace"] = ns;
        return ns;
    }
}
