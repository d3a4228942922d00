using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Errors;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>How dependents are treated when their owner is deleted (DeleteOptions.propagationPolicy).</summary>
public enum Propagation { Background, Foreground, Orphan }

/// <summary>A delete request's options.</summary>
public sealed record DeleteRequest(Propagation? Policy = null, string? PreconditionUid = null, string? PreconditionResourceVersion = null, bool DryRun = false);

/// <summary>The outcome of a delete: the object (removed, or kept with deletionTimestamp while finalizers remain).</summary>
public sealed record DeleteResult(StoredObject Object, bool Removed);

public sealed partial class Cluster
{
    private static readonly HashSet<string> Undeletable = new(StringComparer.Ordinal) { "default", "kube-system", "kube-public" };

    public DeleteResult Delete(ResourceStore store, string? ns, string name, DeleteRequest req)
    {
        lock (_gate) return DeleteLocked(store, ns, name, req);
    }

    public IReadOnlyList<DeleteResult> DeleteCollection(ResourceStore store, ListQuery query, DeleteRequest req)
    {
        lock (_gate)
        {
            var targets = List(store, query with { Limit = 0, Continue = null }).Items;
            return targets.Select(t => DeleteLocked(store, t.Namespace, t.Name, req)).ToList();
        }
    }

    private DeleteResult DeleteLocked(ResourceStore store, string? ns, string name, DeleteRequest req)
    {
        var type = store.Type;
        var current = store.Get(StoredObject.KeyOf(ns, name)) ?? throw ApiException.NotFound(type.Group, type.Plural, name);
        if (req.PreconditionUid is { Length: > 0 } uid && uid != current.Uid)
            throw ApiException.Conflict(type.Group, type.Plural, name,
                $"Precondition failed: UID in precondition: {uid}, UID in object meta: {current.Uid}");
        if (req.PreconditionResourceVersion is { Length: > 0 } rv && rv != current.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture))
            throw ApiException.Conflict(type.Group, type.Plural, name,
                $"Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {current.ResourceVersion}");

        var obj = current.Parse();
        var meta = ObjectRules.Meta(obj);
        if (type.Behavior == KindBehavior.Namespace)
        {
            if (Undeletable.Contains(name))
                throw ApiException.Forbidden($"namespaces \"{name}\" is forbidden: this namespace may not be deleted");
            if (current.Deleting) return new DeleteResult(current, false);
            meta["deletionTimestamp"] = ObjectRules.Now();
            meta["deletionGracePeriodSeconds"] = 0;
            obj["status"] = new JsonObject { ["phase"] = "Terminating" };
            return new DeleteResult(req.DryRun ? StoredObject.From(obj) : CommitPut(store, obj, current), false);
        }

        var finalizers = ObjectRules.Finalizers(obj);
        switch (req.Policy)
        {
            case Propagation.Foreground when !finalizers.Contains(ForegroundFinalizer):
                finalizers.Remove(OrphanFinalizer);
                finalizers.Add(ForegroundFinalizer);
                break;
            case Propagation.Orphan when !finalizers.Contains(OrphanFinalizer):
                finalizers.Remove(ForegroundFinalizer);
                finalizers.Add(OrphanFinalizer);
                break;
            case Propagation.Background:
                finalizers.Remove(ForegroundFinalizer);
                finalizers.Remove(OrphanFinalizer);
                break;
        }
        if (finalizers.Count == 0)
            return new DeleteResult(req.DryRun ? current : CommitRemove(store, current), true);

        ObjectRules.SetFinalizers(obj, finalizers);
        if (!current.Deleting)
        {
            // Custom resources have no graceful deletion, so generation moves when deletion starts.
            if (ObjectRules.Generation(obj) > 0) meta["generation"] = ObjectRules.Generation(obj) + 1;
            meta["deletionTimestamp"] = ObjectRules.Now();
            meta["deletionGracePeriodSeconds"] = 0;
        }
        if (ObjectRules.SameContent(current.Parse(), obj)) return new DeleteResult(current, false);
        return new DeleteResult(req.DryRun ? StoredObject.From(obj) : CommitPut(store, obj, current), false);
    }
}
