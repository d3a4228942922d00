using System.Text.Json.Nodes;
using System.Threading.Channels;
using ServerlessCapi.EmbeddedApiServer.Gc;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Validation;
using ServerlessCapi.EmbeddedApiServer.Watch;

namespace ServerlessCapi.EmbeddedApiServer.Storage;

/// <summary>One isolated cluster: its resources, CRDs, one monotonically increasing resourceVersion, and indexes.</summary>
/// <remarks>
/// Every read and write takes one lock per cluster. Operations are in-memory and short (no I/O, no
/// re-serialising of unchanged objects), so a single writer is simpler than finer locking and keeps the
/// commit order, the watch order and the resourceVersion order identical by construction.
/// </remarks>
public sealed partial class Cluster
{
    public const string CrdCleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    private static readonly string[] SystemNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, ResourceStore> _stores = new(StringComparer.Ordinal);

    /// <summary>Resources served from another resource's store (events.k8s.io events), by key.</summary>
    private readonly Dictionary<string, ResourceType> _views = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (ResourceStore Store, string Key)> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<(ResourceStore Store, string Key)>> _dependents = new(StringComparer.Ordinal);
    private readonly Channel<GcWork> _gcQueue = Channel.CreateUnbounded<GcWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ClusterSettings _settings;
    private long _rv;
    private long _discoveryVersion;

    public Cluster(string name, ClusterSettings settings, bool seed = true)
    {
        Name = name;
        _settings = settings;
        foreach (var t in BuiltInTypes.All)
        {
            if (t.StoredAs is null) _stores[t.Key] = new ResourceStore(t, settings.WatchWindow, 0);
            else _views[t.Key] = t;
        }
        if (!seed) return;
        foreach (var ns in SystemNamespaces)
            Create(Store(BuiltInTypes.Namespaces), null, new JsonObject { ["metadata"] = new JsonObject { ["name"] = ns } }, WriteOptions.Default);
    }

    public string Name { get; }

    /// <summary>Raised (outside no lock guarantees; keep it cheap) after every committed change.</summary>
    public event Action? Changed;

    public long CurrentResourceVersion
    {
        get { lock (_gate) return _rv; }
    }

    /// <summary>Changes whenever the set of served resources changes (CRD added, updated, removed).</summary>
    public long DiscoveryVersion => Interlocked.Read(ref _discoveryVersion);

    public ChannelReader<GcWork> GcQueue => _gcQueue.Reader;

    public ResourceStore Store(ResourceType type)
    {
        lock (_gate) return _stores[type.Key];
    }

    /// <summary>The served resource for a request path, or null (404).</summary>
    public ResourceStore? Find(string group, string version, string plural) => FindServed(group, version, plural)?.Store;

    /// <summary>The served resource for a request path and the store that holds its objects (the same resource's,
    /// or for a resource <see cref="ResourceType.StoredAs"/> another's), or null (404).</summary>
    public (ResourceType Type, ResourceStore Store)? FindServed(string group, string version, string plural)
    {
        var key = ResourceType.KeyOf(group, plural);
        lock (_gate)
        {
            if (_stores.TryGetValue(key, out var s)) return s.Type.Serves(version) ? (s.Type, s) : null;
            return _views.TryGetValue(key, out var view) && view.Serves(version) ? (view, _stores[view.StoredAs!.StorageKey]) : null;
        }
    }

    /// <summary>Every served resource type (for discovery).</summary>
    public IReadOnlyList<ResourceType> Types()
    {
        lock (_gate) return _stores.Values.Select(s => s.Type).Concat(_views.Values).ToList();
    }

    public int ObjectCount()
    {
        lock (_gate) return _stores.Values.Sum(s => s.Count);
    }

    private bool NamespaceActive(string ns, out bool terminating)
    {
        var obj = _stores[BuiltInTypes.Namespaces.Key].Get(ns);
        terminating = obj?.Deleting == true;
        return obj is not null;
    }

    private StoredObject CommitPut(ResourceStore store, JsonObject obj, StoredObject? previous)
    {
        var rv = ++_rv;
        ObjectRules.Meta(obj)["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var stored = StoredObject.From(obj);
        store.Put(stored);
        Index(store, previous, stored);
        store.Watch.Publish(new WatchEvent(previous is null ? WatchEvent.Added : WatchEvent.Modified, rv, stored, previous));
        AfterPut(store, previous, stored, obj);
        Changed?.Invoke();
        return stored;
    }

    private StoredObject CommitRemove(ResourceStore store, StoredObject current)
    {
        var rv = ++_rv;
        var final = current.WithResourceVersion(rv);
        store.Remove(current.Key);
        Index(store, current, null);
        store.Watch.Publish(new WatchEvent(WatchEvent.Deleted, rv, final, current));
        AfterRemove(store, current);
        Changed?.Invoke();
        return final;
    }

    private void Index(ResourceStore store, StoredObject? before, StoredObject? after)
    {
        if (before is not null)
        {
            _byUid.Remove(before.Uid);
            foreach (var o in before.Owners)
            {
                if (_dependents.TryGetValue(o.Uid, out var set) && set.Remove((store, before.Key)) && set.Count == 0)
                    _dependents.Remove(o.Uid);
            }
        }
        if (after is null) return;
        _byUid[after.Uid] = (store, after.Key);
        foreach (var o in after.Owners)
        {
            if (!_dependents.TryGetValue(o.Uid, out var set)) _dependents[o.Uid] = set = [];
            set.Add((store, after.Key));
            // Written with an owner that is already gone (a controller racing its owner's deletion): the garbage
            // collector deletes it, or drops the dangling reference when another owner lives, as Kubernetes does.
            if (!_byUid.ContainsKey(o.Uid) && !(before?.Owners.Any(b => b.Uid == o.Uid) ?? false))
                Enqueue(new GcWork(GcWorkKind.OwnerGone, o.Uid));
        }
    }

    /// <summary>Side effects of a stored object that the API server performs itself.</summary>
    private void AfterPut(ResourceStore store, StoredObject? previous, StoredObject stored, JsonObject obj)
    {
        var type = store.Type;
        if (type.Behavior == KindBehavior.CustomResourceDefinition) ServeCrd(obj);
        if (!stored.Deleting) return;
        if (previous?.Deleting != true || previous.Finalizers.Count != stored.Finalizers.Count)
        {
            if (type.Behavior == KindBehavior.Namespace) Enqueue(new GcWork(GcWorkKind.NamespaceTerminating, stored.Name));
            else if (type.Behavior == KindBehavior.CustomResourceDefinition && stored.Finalizers.Contains(CrdCleanupFinalizer))
                Enqueue(new GcWork(GcWorkKind.CrdTerminating, stored.Name));
            if (stored.Finalizers.Contains(ForegroundFinalizer) || stored.Finalizers.Contains(OrphanFinalizer))
                Enqueue(new GcWork(GcWorkKind.OwnerDeleting, stored.Uid));
        }
    }

    private void AfterRemove(ResourceStore store, StoredObject removed)
    {
        if (_dependents.ContainsKey(removed.Uid)) Enqueue(new GcWork(GcWorkKind.OwnerGone, removed.Uid));
        foreach (var o in removed.Owners)
        {
            if (_byUid.TryGetValue(o.Uid, out var owner) && owner.Store.Get(owner.Key) is { Deleting: true } ownerObj
                && ownerObj.Finalizers.Contains(ForegroundFinalizer))
                Enqueue(new GcWork(GcWorkKind.OwnerDeleting, o.Uid));
        }
        if (removed.Namespace is not null && _stores[BuiltInTypes.Namespaces.Key].Get(removed.Namespace) is { Deleting: true })
            Enqueue(new GcWork(GcWorkKind.NamespaceTerminating, removed.Namespace));
        if (store.Type.Behavior == KindBehavior.Custom
            && _stores[BuiltInTypes.CustomResourceDefinitions.Key].Get($"{store.Type.Plural}.{store.Type.Group}") is { Deleting: true } crd)
            Enqueue(new GcWork(GcWorkKind.CrdTerminating, crd.Name));
        if (store.Type.Behavior == KindBehavior.CustomResourceDefinition) UnserveCrd(removed.Name);
    }

    private void Enqueue(GcWork work) => _gcQueue.Writer.TryWrite(work);

    /// <summary>Makes a CRD's resources served (or updates their definition) and marks it Established.</summary>
    private void ServeCrd(JsonObject crd)
    {
        var type = CrdTypes.FromCrd(crd);
        if (_stores.TryGetValue(type.Key, out var existing))
        {
            var schemaChanged = !JsonNode.DeepEquals(existing.Type.Schema, type.Schema);
            existing.Type = type;
            if (schemaChanged && type.Schema is { } schema) DefaultStored(existing, schema);
        }
        else _stores[type.Key] = new ResourceStore(type, _settings.WatchWindow, _rv);
        Interlocked.Increment(ref _discoveryVersion);
    }

    /// <summary>Stored objects gain the schema's new defaults in place: no new resourceVersion and no watch event,
    /// as defaulting on read in kube-apiserver changes what is read, not what is stored.</summary>
    private static void DefaultStored(ResourceStore store, JsonObject schema)
    {
        foreach (var stored in store.All.ToList())
        {
            var obj = stored.Parse();
            if (StoredDefaults.Apply(schema, obj)) store.Put(StoredObject.From(obj));
        }
    }

    private void UnserveCrd(string crdName)
    {
        var key = _stores.Values.FirstOrDefault(s => s.Type.Behavior == KindBehavior.Custom && $"{s.Type.Plural}.{s.Type.Group}" == crdName)?.Type.Key;
        if (key is null) return;
        _stores[key].Watch.CloseAll();
        foreach (var obj in _stores[key].All.ToList()) Index(_stores[key], obj, null);
        _stores.Remove(key);
        Interlocked.Increment(ref _discoveryVersion);
    }
}

/// <summary>Per-cluster tunables.</summary>
/// <param name="WatchWindow">Events retained per resource for resuming watches; older versions get 410 Gone.</param>
/// <param name="WatcherQueueLimit">Undelivered events after which a slow watcher is closed.</param>
public sealed record ClusterSettings(int WatchWindow = 10_000, int WatcherQueueLimit = 500_000);

/// <summary>Options of one write request.</summary>
/// <param name="FieldValidation">Strict rejects unknown fields, Warn (the default) reports them, Ignore drops them silently.</param>
public sealed record WriteOptions(bool DryRun = false, string? FieldManager = null, string FieldValidation = "Warn")
{
    public static WriteOptions Default { get; } = new();

    /// <summary>The uid and creationTimestamp a create assigns, when admission already showed them to validating webhooks.</summary>
    public (string Uid, string CreationTimestamp)? Identity { get; init; }

    /// <summary>Fields the request body repeated (the last value was kept), for <see cref="FieldValidation"/>.</summary>
    public IReadOnlyList<string> DuplicateFields { get; init; } = [];
}
