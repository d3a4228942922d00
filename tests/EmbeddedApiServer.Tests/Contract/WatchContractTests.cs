using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using ServerlessCapi.Testing;
using static ServerlessCapi.EmbeddedApiServer.Tests.Contract.ContractTarget;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>Watch streams: initial state, resume from a resourceVersion, bookmarks, selectors.</summary>
public sealed class WatchContractTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private const string Merge = "application/merge-patch+json";

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task KubernetesClient_watch_sends_current_state_as_ADDED_then_live_changes(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("existing"));

        using var cts = new CancellationTokenSource(Timeout);
        var seen = new List<(WatchEventType Type, string Name)>();
        var changes = Task.Run(async () =>
        {
            await WaitFor.ConditionAsync(() => { lock (seen) return seen.Count >= 1; }, Timeout, "the initial ADDED event");
            await t.CreateWidgetAsync(ns, Widget("fresh"));
            await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "fresh"), JsonNode.Parse("""{"spec":{"color":"red"}}"""), Merge);
            await t.SendAsync(HttpMethod.Delete, WidgetsPath(ns, "fresh"));
        });
        // WatchList… issues ListNamespacedCustomObjectWithHttpMessagesAsync(watch: true) and decodes the stream.
        await foreach (var (type, obj) in t.Kube.CustomObjects.WatchListNamespacedCustomObjectAsync(
            Group, WidgetVersion, ns, Widgets, cancellationToken: cts.Token))
        {
            var json = (JsonElement)obj;
            lock (seen) seen.Add((type, json.GetProperty("metadata").GetProperty("name").GetString()!));
            if (seen.Count == 4) break;
        }
        await changes;
        seen.ShouldBe([(WatchEventType.Added, "existing"), (WatchEventType.Added, "fresh"), (WatchEventType.Modified, "fresh"), (WatchEventType.Deleted, "fresh")]);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Watch_from_a_resourceVersion_replays_only_later_events(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("before"));
        var (_, list) = await t.SendAsync(HttpMethod.Get, WidgetsPath(ns));
        await t.CreateWidgetAsync(ns, Widget("after"));
        await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "before"), JsonNode.Parse("""{"spec":{"color":"red"}}"""), Merge);

        var events = await WatchStream.ReadAsync(t.Http, WidgetsPath(ns) + $"?watch=1&resourceVersion={list.Rv()}", e => e.Count >= 2, Timeout);
        events.Select(e => (e.Type(), e.Name())).ShouldBe([("ADDED", "after"), ("MODIFIED", "before")]);
        events[1]["object"].Rv().ShouldBeGreaterThan(events[0]["object"].Rv());
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Bookmarks_that_arrive_carry_the_kind_and_a_current_resourceVersion(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var created = await t.CreateWidgetAsync(ns, Widget("w"));
        var path = WidgetsPath(ns) + $"?watch=1&allowWatchBookmarks=true&timeoutSeconds=5&resourceVersion={created.Rv()}";

        // Bookmarks are best-effort in Kubernetes: read until the server ends the watch, never wait for one.
        var events = await WatchStream.ReadAsync(t.Http, path, _ => false, TimeSpan.FromSeconds(20));
        var bookmarks = events.Where(e => e.Type() == "BOOKMARK").ToList();
        foreach (var bookmark in bookmarks)
        {
            bookmark["object"].Str("kind").ShouldBe("Widget");
            bookmark["object"].Rv().ShouldBeGreaterThanOrEqualTo(created.Rv());
        }
        if (t.Server is not null) bookmarks.ShouldNotBeEmpty("the embedded server sends one as the watch times out");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task An_object_leaving_a_label_selector_is_sent_as_DELETED(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var created = await t.CreateWidgetAsync(ns, Widget("w", labels: new() { ["watch"] = "yes" }));
        var reading = WatchStream.ReadAsync(t.Http, WidgetsPath(ns) + $"?watch=1&labelSelector=watch%3Dyes&resourceVersion={created.Rv()}",
            e => e.Count >= 2, Timeout);
        await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"), JsonNode.Parse("""{"metadata":{"labels":{"watch":"no"}}}"""), Merge);
        await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w"), JsonNode.Parse("""{"metadata":{"labels":{"watch":"yes"}}}"""), Merge);

        var events = await reading;
        events.Select(e => (e.Type(), e.Name())).ShouldBe([("DELETED", "w"), ("ADDED", "w")]);
        events[0]["object"].Rv().ShouldBeGreaterThan(created.Rv(), "the DELETED event carries the version of the change");
    }
}
