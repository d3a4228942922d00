using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Gc;
using ServerlessCapi.EmbeddedApiServer.Model;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>Export to and restore from a snapshot.</summary>
public sealed partial class Cluster
{
    /// <summary>Every object with its resource key, and the version they are consistent at.</summary>
    public (long ResourceVersion, List<(string Resource, StoredObject Object)> Objects) Export()
    {
        lock (_gate)
        {
            return (_rv, _stores.Values.SelectMany(s => s.All.Select(o => (s.Type.Key, o))).ToList());
        }
    }

    /// <summary>Loads objects into an empty (unseeded) cluster; the resourceVersion continues from the snapshot and
    /// watches from before it get 410 Gone, so clients relist.</summary>
    public void Restore(long resourceVersion, IReadOnlyList<(string Resource, JsonObject Object)> objects)
    {
        lock (_gate)
        {
            var crdKey = BuiltInTypes.CustomResourceDefinitions.Key;
            foreach (var (resource, obj) in objects.OrderBy(o => o.Resource == crdKey ? 0 : 1))
            {
                if (resource == crdKey) ServeCrd(obj);
                if (!_stores.TryGetValue(resource, out var store)) continue;
                var stored = StoredObject.From(obj);
                store.Put(stored);
                Index(store, null, stored);
            }
            _rv = Math.Max(_rv, resourceVersion);
            foreach (var store in _stores.Values)
            {
                store.ResetWindow(_rv);
                foreach (var obj in store.All.Where(o => o.Deleting)) Resume(store, obj);
            }
        }
    }

    /// <summary>Picks up cleanup that was in progress when the snapshot was taken.</summary>
    private void Resume(ResourceStore store, StoredObject obj)
    {
        if (store.Type.Behavior == KindBehavior.Namespace) Enqueue(new GcWork(GcWorkKind.NamespaceTerminating, obj.Name));
        if (store.Type.Behavior == KindBehavior.CustomResourceDefinition) Enqueue(new GcWork(GcWorkKind.CrdTerminating, obj.Name));
        if (obj.Finalizers.Contains(ForegroundFinalizer) || obj.Finalizers.Contains(OrphanFinalizer))
            Enqueue(new GcWork(GcWorkKind.OwnerDeleting, obj.Uid));
        if (obj.Owners.Count > 0 && obj.Owners.All(o => !_byUid.ContainsKey(o.Uid)))
            Enqueue(new GcWork(GcWorkKind.OwnerGone, obj.Owners[0].Uid));
    }
}
