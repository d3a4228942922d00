using System.Text.Json.Nodes;
using static ServerlessCapi.EmbeddedApiServer.Tests.Contract.ContractTarget;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>Events are one resource served by two APIs: events.k8s.io/v1 and core v1 read and write the same objects
/// under different field names, with the field selectors each API names.</summary>
public sealed class EventContractTests
{
    private static string EventsV1Path(string ns, string? name = null) =>
        $"apis/events.k8s.io/v1/namespaces/{ns}/events" + (name is null ? "" : $"/{name}");

    private static string CorePath(string ns, string? name = null) => $"api/v1/namespaces/{ns}/events" + (name is null ? "" : $"/{name}");

    private static JsonObject NewEvent(string name, string ns, string regarding, string reason, string note) => new()
    {
        ["apiVersion"] = "events.k8s.io/v1",
        ["kind"] = "Event",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
        ["eventTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture),
        ["reportingController"] = "example.com/widget-controller",
        ["reportingInstance"] = "widget-controller-1",
        ["action"] = "Scale",
        ["reason"] = reason,
        ["note"] = note,
        ["type"] = "Normal",
        ["regarding"] = new JsonObject
        {
            ["apiVersion"] = $"{Group}/{WidgetVersion}",
            ["kind"] = "Widget",
            ["namespace"] = ns,
            ["name"] = regarding,
            ["uid"] = $"uid-{regarding}",
        },
    };

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task An_event_created_through_events_k8s_io_is_read_through_core_v1_with_its_fields_renamed(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var (code, created) = await t.SendAsync(HttpMethod.Post, EventsV1Path(ns), NewEvent("w1.scaled", ns, "w1", "Scaled", "Scaled to 3"));
        code.ShouldBe(201);
        created.Str("note").ShouldBe("Scaled to 3");
        created.Str("regarding.name").ShouldBe("w1");

        var (_, core) = await t.SendAsync(HttpMethod.Get, CorePath(ns, "w1.scaled"));
        core.Str("apiVersion").ShouldBe("v1");
        core.Str("message").ShouldBe("Scaled to 3");
        core.Str("involvedObject.name").ShouldBe("w1");
        core.Str("involvedObject.kind").ShouldBe("Widget");
        core.Str("reportingComponent").ShouldBe("example.com/widget-controller");
        core.Str("reportingInstance").ShouldBe("widget-controller-1");
        core.Str("action").ShouldBe("Scale");
        core.Str("reason").ShouldBe("Scaled");
        core.Rv().ShouldBe(created.Rv());
        core!["note"].ShouldBeNull();
        core["regarding"].ShouldBeNull();

        var (_, list) = await t.SendAsync(HttpMethod.Get, CorePath(ns));
        Items(list).Select(i => i.Str("metadata.name")).ShouldBe(["w1.scaled"]);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task A_series_patched_through_events_k8s_io_shows_as_the_core_count_source(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var (_, created) = await t.SendAsync(HttpMethod.Post, EventsV1Path(ns), NewEvent("w1.scaled", ns, "w1", "Scaled", "Scaled to 3"));
        var observed = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["resourceVersion"] = created.Str("metadata.resourceVersion") },
            ["series"] = new JsonObject { ["count"] = 2, ["lastObservedTime"] = observed },
        };
        var (code, patched) = await t.SendAsync(HttpMethod.Patch, EventsV1Path(ns, "w1.scaled"), patch, "application/merge-patch+json");
        code.ShouldBe(200);
        patched.Long("series.count").ShouldBe(2);
        patched.Str("note").ShouldBe("Scaled to 3");

        var (_, core) = await t.SendAsync(HttpMethod.Get, CorePath(ns, "w1.scaled"));
        core.Long("series.count").ShouldBe(2);
        core.Str("message").ShouldBe("Scaled to 3");
        var (stale, _) = await t.SendAsync(HttpMethod.Patch, EventsV1Path(ns, "w1.scaled"), patch, "application/merge-patch+json");
        stale.ShouldBe(409);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Field_selectors_use_involvedObject_on_core_and_regarding_on_events_k8s_io(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.SendAsync(HttpMethod.Post, EventsV1Path(ns), NewEvent("w1.scaled", ns, "w1", "Scaled", "Scaled to 3"));
        await t.SendAsync(HttpMethod.Post, EventsV1Path(ns), NewEvent("w2.scaled", ns, "w2", "Scaled", "Scaled to 1"));
        await t.SendAsync(HttpMethod.Post, EventsV1Path(ns), NewEvent("w2.failed", ns, "w2", "FailedScale", "No room"));

        // What kubectl describe sends for an object's events.
        var describe = Uri.EscapeDataString($"involvedObject.name=w2,involvedObject.namespace={ns},involvedObject.kind=Widget,involvedObject.uid=uid-w2");
        var (_, core) = await t.SendAsync(HttpMethod.Get, CorePath(ns) + $"?fieldSelector={describe}&limit=500");
        Items(core).Select(i => i.Str("metadata.name")).ShouldBe(["w2.failed", "w2.scaled"]);
        var (_, byReason) = await t.SendAsync(HttpMethod.Get, CorePath(ns) + "?fieldSelector=reason%3DScaled,reportingComponent%3Dexample.com%2Fwidget-controller");
        Items(byReason).Select(i => i.Str("metadata.name")).ShouldBe(["w1.scaled", "w2.scaled"]);

        var (_, v1) = await t.SendAsync(HttpMethod.Get, EventsV1Path(ns) + "?fieldSelector=regarding.name%3Dw1");
        Items(v1).Select(i => i.Str("metadata.name")).ShouldBe(["w1.scaled"]);
        var (bad, _) = await t.SendAsync(HttpMethod.Get, EventsV1Path(ns) + "?fieldSelector=involvedObject.name%3Dw1");
        bad.ShouldBe(400);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task A_core_watch_sees_events_written_through_events_k8s_io(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var (_, list) = await t.SendAsync(HttpMethod.Get, CorePath(ns));
        var rv = list.Str("metadata.resourceVersion");
        var watching = WatchStream.ReadAsync(t.Http, CorePath(ns) + $"?watch=true&resourceVersion={rv}&fieldSelector=involvedObject.name%3Dw1",
            events => events.Count >= 1, TimeSpan.FromSeconds(20));
        await t.SendAsync(HttpMethod.Post, EventsV1Path(ns), NewEvent("w2.scaled", ns, "w2", "Scaled", "Scaled to 1"));
        await t.SendAsync(HttpMethod.Post, EventsV1Path(ns), NewEvent("w1.scaled", ns, "w1", "Scaled", "Scaled to 3"));
        var events = await watching;
        events.Count.ShouldBe(1);
        events[0].Type().ShouldBe("ADDED");
        events[0].Name().ShouldBe("w1.scaled");
        events[0]["object"].Str("message").ShouldBe("Scaled to 3");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task An_events_k8s_io_create_without_the_new_required_fields_is_refused(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var e = NewEvent("w1.bad", ns, "w1", "Scaled", "x");
        e.Remove("eventTime");
        e.Remove("action");
        e["deprecatedCount"] = 3;
        var (code, status) = await t.SendAsync(HttpMethod.Post, EventsV1Path(ns), e);
        code.ShouldBe(422);
        var fields = (status!["details"]!["causes"] as JsonArray)!.Select(c => c.Str("field")).ToList();
        fields.ShouldContain("eventTime");
        fields.ShouldContain("action");
        fields.ShouldContain("deprecatedCount");
    }

    private static List<JsonObject> Items(JsonObject? list) => (list!["items"] as JsonArray)!.OfType<JsonObject>().ToList();
}
