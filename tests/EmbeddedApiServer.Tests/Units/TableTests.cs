using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Table;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units;

public sealed class TableTests
{
    private static readonly JsonNode Doc = JsonNode.Parse("""
        {"metadata":{"labels":{"cluster.x-k8s.io/cluster-name":"demo"}},
         "spec":{"list":[{"name":"a"},{"name":"b"}]},
         "status":{"conditions":[{"type":"Other","status":"False"},{"type":"Ready","status":"True"}]}}
        """)!;

    [Theory]
    [InlineData(".spec.list[1].name", "b")]
    [InlineData(".spec.list[-1].name", "b")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "True")]
    [InlineData("{.status.conditions[?(@.type=='Other')].status}", "False")]
    [InlineData(".metadata.labels['cluster\\.x-k8s\\.io/cluster-name']", "demo")]
    public void JsonPath_subset_finds_values(string path, string expected) =>
        JsonPathLite.Text(JsonPathLite.Find(Doc, path).Single()!).ShouldBe(expected);

    [Fact]
    public void JsonPath_returns_nothing_for_missing_paths() =>
        JsonPathLite.Find(Doc, ".spec.missing.deeper").ShouldBeEmpty();

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(3600, "60m")]
    [InlineData(4 * 3600 + 600, "4h10m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(400 * 86400, "400d")]
    public void Ages_print_like_kubectl(int seconds, string expected) =>
        HumanDuration.Format(TimeSpan.FromSeconds(seconds)).ShouldBe(expected);
}
