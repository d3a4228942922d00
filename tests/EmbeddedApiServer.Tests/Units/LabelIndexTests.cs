using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Selectors;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units;

/// <summary>A scan by selector through the label index returns exactly what a full scan filtered by the selector
/// returns, in the same order, across relabelling, removal and paging.</summary>
public sealed class LabelIndexTests
{
    private static StoredObject Object(string ns, string name, params (string Key, string Value)[] labels)
    {
        var meta = new JsonObject { ["namespace"] = ns, ["name"] = name, ["uid"] = $"{ns}-{name}" };
        if (labels.Length > 0) meta["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create<string, JsonNode?>(l.Key, l.Value)));
        return StoredObject.From(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = meta });
    }

    private static List<string> Indexed(ResourceStore store, string? ns, string? after, string selector)
    {
        var s = LabelSelector.Parse(selector);
        return store.Scan(ns, after, s).Where(o => s.Matches(o.Labels)).Select(o => o.Key).ToList();
    }

    private static List<string> Filtered(ResourceStore store, string? ns, string? after, string selector)
    {
        var s = LabelSelector.Parse(selector);
        return store.Scan(ns, after).Where(o => s.Matches(o.Labels)).Select(o => o.Key).ToList();
    }

    [Fact]
    public void Index_follows_puts_relabels_and_removals()
    {
        var store = new ResourceStore(BuiltInTypes.ConfigMaps, 100, 0);
        for (var i = 0; i < 30; i++)
            store.Put(Object(i % 2 == 0 ? "a" : "b", $"o{i:D2}", ("cluster", $"c{i % 3}"), ("role", i % 5 == 0 ? "cp" : "worker")));
        store.Put(Object("a", "plain"));

        store.Put(Object("a", "o00", ("cluster", "c2"), ("role", "cp")));
        store.Put(Object("b", "o01"));
        store.Remove("a/o02");
        store.Remove("b/missing");

        string[] selectors = ["cluster=c0", "cluster=c2,role=cp", "cluster in (c1)", "cluster==c1,role!=cp", "role", "cluster=none", ""];
        foreach (var selector in selectors)
        {
            foreach (var ns in new[] { null, "a", "b" })
                Indexed(store, ns, null, selector).ShouldBe(Filtered(store, ns, null, selector), $"{selector} in {ns ?? "all"}");
        }
        Indexed(store, "a", null, "cluster=c2").ShouldContain("a/o00");
        Indexed(store, "a", null, "cluster=c0").ShouldNotContain("a/o00");
        Indexed(store, "b", null, "cluster=c1").ShouldNotContain("b/o01");
        Indexed(store, null, null, "cluster=c2").ShouldNotContain("a/o02");
    }

    [Fact]
    public void Paging_through_the_index_resumes_after_the_last_key()
    {
        var store = new ResourceStore(BuiltInTypes.ConfigMaps, 100, 0);
        for (var i = 0; i < 20; i++) store.Put(Object("ns", $"o{i:D2}", ("cluster", i % 2 == 0 ? "even" : "odd")));

        var pages = new List<string>();
        string? after = null;
        while (Indexed(store, "ns", after, "cluster=even").Take(3).ToList() is { Count: > 0 } page)
        {
            pages.AddRange(page);
            after = page[^1];
        }
        pages.ShouldBe(Enumerable.Range(0, 20).Where(i => i % 2 == 0).Select(i => $"ns/o{i:D2}").ToList());
    }
}
