using System.Text.Json.Nodes;
using static ServerlessCapi.EmbeddedApiServer.Tests.Contract.ContractTarget;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Contract;

/// <summary>Label and field selectors, paging, and server-side printing.</summary>
public sealed class QueryContractTests
{
    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Label_selectors_support_every_operator(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("a", labels: new() { ["tier"] = "web", ["env"] = "prod" }));
        await t.CreateWidgetAsync(ns, Widget("b", labels: new() { ["tier"] = "db", ["env"] = "prod" }));
        await t.CreateWidgetAsync(ns, Widget("c", labels: new() { ["tier"] = "web" }));

        (await Names(t, ns, "tier=web")).ShouldBe(["a", "c"]);
        (await Names(t, ns, "tier==web")).ShouldBe(["a", "c"]);
        (await Names(t, ns, "tier!=web")).ShouldBe(["b"]);
        (await Names(t, ns, "tier in (db,cache)")).ShouldBe(["b"]);
        (await Names(t, ns, "tier notin (db)")).ShouldBe(["a", "c"]);
        (await Names(t, ns, "env")).ShouldBe(["a", "b"]);
        (await Names(t, ns, "!env")).ShouldBe(["c"]);
        (await Names(t, ns, "tier=web,env=prod")).ShouldBe(["a"]);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Field_selectors_match_name_and_namespace(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        var other = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("a"));
        await t.CreateWidgetAsync(ns, Widget("b"));
        await t.CreateWidgetAsync(other, Widget("a"));

        (await Names(t, ns, null, "metadata.name=a")).ShouldBe(["a"]);
        (await Names(t, ns, null, "metadata.name!=a")).ShouldBe(["b"]);
        var (_, all) = await t.SendAsync(HttpMethod.Get, $"apis/{Group}/{WidgetVersion}/{Widgets}?fieldSelector=metadata.namespace%3D{other}");
        Items(all).Select(i => i.Str("metadata.namespace")).ShouldBe([other]);
        var (bad, status) = await t.SendAsync(HttpMethod.Get, WidgetsPath(ns) + "?fieldSelector=spec.color%3Dblue");
        bad.ShouldBe(400);
        status.Str("reason").ShouldBe("BadRequest");
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Delete_collection_deletes_only_what_the_selector_matches(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("a", labels: new() { ["batch"] = "1" }));
        await t.CreateWidgetAsync(ns, Widget("b", labels: new() { ["batch"] = "1" }));
        await t.CreateWidgetAsync(ns, Widget("c", labels: new() { ["batch"] = "2" }));
        var (code, _) = await t.SendAsync(HttpMethod.Delete, WidgetsPath(ns) + "?labelSelector=batch%3D1");
        code.ShouldBe(200);
        (await Names(t, ns, null)).ShouldBe(["c"]);
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Paging_with_limit_and_continue_returns_every_object_once(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        for (var i = 0; i < 7; i++) await t.CreateWidgetAsync(ns, Widget($"w{i}"));

        var seen = new List<string>();
        string? token = null;
        var pages = 0;
        do
        {
            var path = WidgetsPath(ns) + "?limit=3" + (token is null ? "" : $"&continue={Uri.EscapeDataString(token)}");
            var (code, page) = await t.SendAsync(HttpMethod.Get, path);
            code.ShouldBe(200);
            seen.AddRange(Items(page).Select(i => i.Str("metadata.name")!));
            token = page.Str("metadata.continue") is { Length: > 0 } c ? c : null;
            pages++;
        }
        while (token is not null && pages < 10);
        pages.ShouldBe(3);
        seen.ShouldBe(Enumerable.Range(0, 7).Select(i => $"w{i}").ToList());
    }

    [Theory, MemberData(nameof(Names), MemberType = typeof(ContractTarget))]
    public async Task Table_output_uses_the_printer_columns(string name)
    {
        var t = await GetAsync(name);
        var ns = await t.NewNamespaceAsync();
        await t.CreateWidgetAsync(ns, Widget("w", replicas: 3, color: "teal"));
        await t.SendAsync(HttpMethod.Patch, WidgetsPath(ns, "w", "status"),
            JsonNode.Parse("""{"status":{"conditions":[{"type":"Other","status":"False"},{"type":"Ready","status":"True"}]}}"""), "application/merge-patch+json");

        var (code, table) = await t.SendAsync(HttpMethod.Get, WidgetsPath(ns), accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        code.ShouldBe(200);
        table.Str("kind").ShouldBe("Table");
        var columns = (table!["columnDefinitions"] as JsonArray)!.Select(c => c.Str("name")).ToList();
        columns.ShouldBe(["Name", "Replicas", "Color", "Ready", "Age"]);
        var cells = ((table["rows"] as JsonArray)![0]!["cells"] as JsonArray)!;
        cells[0]!.GetValue<string>().ShouldBe("w");
        cells[1]!.GetValue<long>().ShouldBe(3);
        cells[2]!.GetValue<string>().ShouldBe("teal");
        cells[3]!.GetValue<string>().ShouldBe("True");
        cells[4]!.GetValue<string>().ShouldEndWith("s");
    }

    private static async Task<List<string>> Names(ContractTarget t, string ns, string? labels, string? fields = null)
    {
        var query = new List<string>();
        if (labels is not null) query.Add("labelSelector=" + Uri.EscapeDataString(labels));
        if (fields is not null) query.Add("fieldSelector=" + Uri.EscapeDataString(fields));
        var (code, list) = await t.SendAsync(HttpMethod.Get, WidgetsPath(ns) + "?" + string.Join('&', query));
        code.ShouldBe(200);
        return Items(list).Select(i => i.Str("metadata.name")!).Order(StringComparer.Ordinal).ToList();
    }

    private static IEnumerable<JsonNode> Items(JsonObject? list) => (list?["items"] as JsonArray ?? []).OfType<JsonNode>();
}
