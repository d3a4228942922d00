using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Gc;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>Garbage collection and namespace/CRD cleanup, applied by <see cref="GarbageCollector"/> off the request path.</summary>
public sealed partial class Cluster
{
    public void Collect(GcWork work)
    {
        lock (_gate)
        {
            switch (work.Kind)
            {
                case GcWorkKind.OwnerGone: CollectDependentsOf(work.Subject); break;
                case GcWorkKind.OwnerDeleting: ProcessDeletingOwner(work.Subject); break;
                case GcWorkKind.NamespaceTerminating: CleanNamespace(work.Subject); break;
                case GcWorkKind.CrdTerminating: CleanCrd(work.Subject); break;
            }
        }
    }

    private List<(ResourceStore Store, StoredObject Obj)> Dependents(string ownerUid) =>
        _dependents.TryGetValue(ownerUid, out var set)
            ? set.Select(d => (d.Store, Obj: d.Store.Get(d.Key))).Where(d => d.Obj is not null).Select(d => (d.Store, d.Obj!)).ToList()
            : [];

    private StoredObject? ByUid(string uid) =>
        _byUid.TryGetValue(uid, out var at) ? at.Store.Get(at.Key) : null;

    /// <summary>An owner that still exists and is not itself waiting for its dependents to go.</summary>
    private bool IsSolid(OwnerRef o) => ByUid(o.Uid) is { } owner && !(owner.Deleting && owner.Finalizers.Contains(ForegroundFinalizer));

    private void CollectDependentsOf(string ownerUid)
    {
        if (ByUid(ownerUid) is not null) return;
        foreach (var (store, dep) in Dependents(ownerUid)) CollectDependent(store, dep);
    }

    /// <summary>A dependent with a live owner loses only its dangling references; one without is deleted,
    /// in the foreground when an owner waits for it.</summary>
    private void CollectDependent(ResourceStore store, StoredObject dep)
    {
        if (dep.Owners.Any(IsSolid))
        {
            var dangling = dep.Owners.Where(o => ByUid(o.Uid) is null).Select(o => o.Uid).ToHashSet(StringComparer.Ordinal);
            if (dangling.Count > 0) RemoveOwnerRefs(store, dep, dangling);
            return;
        }
        if (dep.Deleting) return;
        var waitedFor = dep.Owners.Any(o => ByUid(o.Uid) is { Deleting: true } owner && owner.Finalizers.Contains(ForegroundFinalizer));
        DeleteLocked(store, dep.Namespace, dep.Name, new DeleteRequest(waitedFor ? Propagation.Foreground : Propagation.Background));
    }

    private void ProcessDeletingOwner(string uid)
    {
        var owner = ByUid(uid);
        if (owner is null || !owner.Deleting) return;
        var (ownerStore, _) = _byUid[uid];
        if (owner.Finalizers.Contains(OrphanFinalizer))
        {
            foreach (var (store, dep) in Dependents(uid)) RemoveOwnerRefs(store, dep, [uid]);
            RemoveFinalizer(ownerStore, owner, OrphanFinalizer);
            return;
        }
        if (!owner.Finalizers.Contains(ForegroundFinalizer)) return;
        foreach (var (store, dep) in Dependents(uid))
        {
            if (dep.Owners.Any(o => o.Uid != uid && IsSolid(o))) RemoveOwnerRefs(store, dep, [uid]);
            else if (!dep.Deleting || !dep.Finalizers.Contains(ForegroundFinalizer))
                DeleteLocked(store, dep.Namespace, dep.Name, new DeleteRequest(Propagation.Foreground));
        }
        var blocked = Dependents(uid).Any(d => d.Obj.Owners.Any(o => o.Uid == uid && o.BlockOwnerDeletion));
        if (!blocked && ByUid(uid) is { } stillThere) RemoveFinalizer(ownerStore, stillThere, ForegroundFinalizer);
    }

    private void CleanNamespace(string name)
    {
        var namespaces = _stores[BuiltInTypes.Namespaces.Key];
        var ns = namespaces.Get(name);
        if (ns is null || !ns.Deleting) return;
        var remaining = false;
        foreach (var store in _stores.Values.Where(s => s.Type.Namespaced).ToList())
        {
            foreach (var obj in store.Scan(name, null).ToList())
            {
                remaining = true;
                if (!obj.Deleting) DeleteLocked(store, obj.Namespace, obj.Name, new DeleteRequest());
            }
        }
        if (remaining && _stores.Values.Any(s => s.Type.Namespaced && s.Scan(name, null).Any())) return;
        var nsObj = ns.Parse();
        nsObj["spec"] = new JsonObject { ["finalizers"] = new JsonArray() };
        if (ObjectRules.Finalizers(nsObj).Count == 0)
        {
            var final = StoredObject.From(nsObj);
            namespaces.Put(final);
            CommitRemove(namespaces, final);
        }
        else
        {
            CommitPut(namespaces, nsObj, ns);
        }
    }

    private void CleanCrd(string crdName)
    {
        var crds = _stores[BuiltInTypes.CustomResourceDefinitions.Key];
        var crd = crds.Get(crdName);
        if (crd is null || !crd.Deleting) return;
        var store = _stores.Values.FirstOrDefault(s => s.Type.Behavior == KindBehavior.Custom && $"{s.Type.Plural}.{s.Type.Group}" == crdName);
        if (store is not null)
        {
            foreach (var obj in store.All.Where(o => !o.Deleting).ToList())
                DeleteLocked(store, obj.Namespace, obj.Name, new DeleteRequest());
            if (store.Count > 0) return;
        }
        RemoveFinalizer(crds, crd, CrdCleanupFinalizer);
    }

    private void RemoveOwnerRefs(ResourceStore store, StoredObject dep, HashSet<string> uids)
    {
        var obj = dep.Parse();
        if (ObjectRules.Meta(obj)["ownerReferences"] is not JsonArray refs) return;
        foreach (var r in refs.OfType<JsonObject>().Where(r => uids.Contains(r["uid"]?.GetValue<string>() ?? "")).ToList())
            refs.Remove(r);
        if (refs.Count == 0) ObjectRules.Meta(obj).Remove("ownerReferences");
        CommitPut(store, obj, dep);
    }

    private void RemoveFinalizer(ResourceStore store, StoredObject current, string finalizer)
    {
        var obj = current.Parse();
        var finalizers = ObjectRules.Finalizers(obj);
        if (!finalizers.Remove(finalizer)) return;
        ObjectRules.SetFinalizers(obj, finalizers);
        if (finalizers.Count == 0 && current.Deleting)
        {
            var final = StoredObject.From(obj);
            store.Put(final);
            Index(store, current, final);
            CommitRemove(store, final);
        }
        else
        {
            CommitPut(store, obj, current);
        }
    }
}
