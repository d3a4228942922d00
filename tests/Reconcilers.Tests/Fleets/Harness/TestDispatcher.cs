using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Durable;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Routing;

namespace ServerlessCapi.FleetTests.Harness;

/// <summary>The function app's dispatcher in miniature, for one namespace: notices every change of the kinds it
/// follows (by listing them often and comparing resourceVersions, which also sees deletions) and signals the
/// workflows the routing rules name, starting them when needed.</summary>
internal sealed class TestDispatcher(KubeApi kube, IWorkflowClient workflows, string ns, IReadOnlySet<string> reconciledKinds, ILogger logger)
    : IAsyncDisposable
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);
    private readonly Dictionary<string, (string Version, JsonObject Object)> _seen = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public void Start() => _loop = Task.Run(() => LoopAsync(_stop.Token));

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Interval);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await PassAsync(ct);
                await timer.WaitForNextTickAsync(ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TaskCanceledException)
            {
                logger.LogWarning("Dispatcher pass failed: {Error}", e.Message);
            }
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        var current = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var kind in reconciledKinds.Where(k => k != Cluster.KubeKind).Append(Cluster.KubeKind).Distinct())
        {
            var resource = CapiResources.For(GroupOf(kind), kind);
            var list = await kube.SendAsync<JsonObject>(HttpMethod.Get, resource.CollectionPath(ns), null, null, ct);
            foreach (var item in (list?["items"] as JsonArray ?? []).OfType<JsonObject>())
            {
                item["apiVersion"] ??= resource.ApiVersion;
                item["kind"] ??= resource.Kind;
                current[$"{kind}/{ExternalObjects.Text(item, "metadata", "uid")}"] = item;
            }
        }

        var changed = new List<JsonObject>();
        foreach (var (key, obj) in current)
        {
            var version = ExternalObjects.Text(obj, "metadata", "resourceVersion") ?? "";
            if (!_seen.TryGetValue(key, out var seen) || seen.Version != version) changed.Add(obj);
            _seen[key] = (version, obj);
        }
        var gone = _seen.Keys.Where(k => !current.ContainsKey(k)).ToList();
        foreach (var obj in changed) await DispatchAsync(obj, deleted: false, ct);
        foreach (var key in gone)
        {
            // Its deletion is an event of its own (as a watch's DELETED is), not a repeat of the last version seen.
            await DispatchAsync(_seen[key].Object, deleted: true, ct);
            _seen.Remove(key);
        }
    }

    private async Task DispatchAsync(JsonObject obj, bool deleted, CancellationToken ct)
    {
        var targets = WakeRules.For(obj).Where(t => reconciledKinds.Contains(t.Kind));
        var keys = (await WakeRules.ResolveAsync(targets, UidOfAsync, ct)).ToList();
        if (reconciledKinds.Contains(MachineHealthCheck.KubeKind)) keys.AddRange(await HealthCheckWakeRule.KeysForAsync(obj, kube, ct));
        var cause = $"{ExternalObjects.Text(obj, "metadata", "uid")}@{ExternalObjects.Text(obj, "metadata", "resourceVersion")}{(deleted ? "/deleted" : "")}";
        foreach (var key in keys.DistinctBy(k => k.InstanceId))
        {
            await workflows.RaiseEventAsync(key.InstanceId, ObjectKey.ChangedSignal, key.ToJson(), messageId: $"{key.InstanceId}|{cause}",
                startWorkflow: key.Kind, ct: ct);
        }
    }

    private async Task<string?> UidOfAsync(string kind, string? objectNamespace, string name, CancellationToken ct)
    {
        var resource = CapiResources.For(GroupOf(kind), kind);
        try
        {
            var obj = await kube.SendAsync<JsonObject>(HttpMethod.Get, $"{resource.CollectionPath(objectNamespace)}/{Uri.EscapeDataString(name)}", null, null, ct);
            return ExternalObjects.Text(obj, "metadata", "uid");
        }
        catch (KubeApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private static string GroupOf(string kind) => CapiKinds.All.FirstOrDefault(k => k.Kind == kind)?.Group ?? CapiGroups.Core;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
