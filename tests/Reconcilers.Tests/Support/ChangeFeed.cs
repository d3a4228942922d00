using System.Text.Json;
using System.Text.Json.Nodes;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Kube.Relay;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Kinds;

namespace ServerlessCapi.Reconcilers.Tests.Support;

/// <summary>One wake the feed asks for: the object to reconcile, whether its reconcile may start for it (not for an
/// object that is gone), and the change that caused it.</summary>
public sealed record FeedWake(ObjectKey Key, bool Start, string Cause);

/// <summary>The relay and the dispatcher in miniature, for one namespace: lists every reconciled kind often, turns each
/// new version (or disappearance) into the relay's event data, and routes it with the product's own routes
/// (<see cref="ReconciledKinds.Routes"/>) and target lookup (<see cref="KubeObjectLookup"/>). Tests hand the wakes to the
/// engine or run the reconciles themselves; the relay and the queue-triggered dispatcher have their own tests.</summary>
public sealed class ChangeFeed(KubeApi kube, string ns, IReadOnlySet<string> reconciled)
{
    private static readonly IReadOnlyList<RelayKind> Kinds = [.. ReconciledKinds.All.Select(k => k.ToRelayKind())];
    private readonly EventRoutes _routes = ReconciledKinds.Routes();
    private readonly KubeObjectLookup _lookup = new(kube, Kinds);
    private readonly Dictionary<string, (RelayKind Kind, string Version, JsonObject Object)> _seen = new(StringComparer.Ordinal);

    /// <summary>Every reconciled kind.</summary>
    public static IReadOnlySet<string> AllKinds { get; } = ReconciledKinds.All.Select(k => k.Kind).ToHashSet(StringComparer.Ordinal);

    /// <summary>One look: the wakes the changes since the previous look ask for (each object at most once).</summary>
    public async Task<IReadOnlyList<FeedWake>> PassAsync(CancellationToken ct)
    {
        var current = new Dictionary<string, (RelayKind Kind, string Version, JsonObject Object)>(StringComparer.Ordinal);
        foreach (var kind in Kinds)
        {
            var list = await kube.SendAsync<JsonObject>(HttpMethod.Get, $"/apis/{kind.Group}/{kind.Version}/namespaces/{ns}/{kind.Plural}", null, null, ct);
            foreach (var item in (list?["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                item["apiVersion"] ??= kind.ApiVersion;
                item["kind"] ??= kind.Kind;
                if (ExternalObjects.Text(item, "metadata", "uid") is { } uid)
                    current[uid] = (kind, ExternalObjects.Text(item, "metadata", "resourceVersion") ?? "", item);
            }
        }

        var changes = new List<(ObjectEventData Data, string Cause)>();
        foreach (var (uid, c) in current.Where(c => !_seen.TryGetValue(c.Key, out var s) || s.Version != c.Value.Version))
            changes.Add((Describe(c.Kind, c.Object, deleted: false), $"{uid}@{c.Version}"));
        foreach (var (uid, gone) in _seen.Where(s => !current.ContainsKey(s.Key)))
            changes.Add((Describe(gone.Kind, gone.Object, deleted: true), $"{uid}@{gone.Version}/deleted"));
        _seen.Clear();
        foreach (var (uid, c) in current) _seen[uid] = c;

        var wakes = new Dictionary<string, FeedWake>(StringComparer.Ordinal);
        foreach (var (change, cause) in changes)
        {
            _lookup.Observe(change);
            if (reconciled.Contains(change.Kind))
                Add(wakes, new FeedWake(new ObjectKey(change.Kind, change.Namespace, change.Name, change.Uid), Start: !change.Deleted, cause));
            foreach (var target in _routes.TargetsFor(change).Where(t => reconciled.Contains(t.Kind)))
            {
                var matches = target.Selector is null ? [target] : (await _lookup.MatchingAsync(target, ct)).Select(m => target with { Name = m.Name, Uid = m.Uid, Selector = null });
                foreach (var match in matches)
                {
                    if (await _lookup.UidAsync(match, ct) is { } uid)
                        Add(wakes, new FeedWake(new ObjectKey(match.Kind, match.Namespace, match.Name, uid), Start: true, cause));
                }
            }
        }
        return [.. wakes.Values];
    }

    private static void Add(Dictionary<string, FeedWake> wakes, FeedWake wake)
    {
        // A wake that may start the instance wins over one that may not (a routed wake of an object that still exists).
        if (!wakes.TryGetValue(wake.Key.InstanceId, out var known) || (wake.Start && !known.Start)) wakes[wake.Key.InstanceId] = wake;
    }

    private static ObjectEventData Describe(RelayKind kind, JsonObject obj, bool deleted) =>
        ObjectLister.EventDataOf(kind, JsonSerializer.Deserialize<JsonElement>(obj.ToJsonString()), deleted);
}
