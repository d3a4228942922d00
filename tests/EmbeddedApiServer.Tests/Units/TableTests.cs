using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Model;
using ServerlessCapi.EmbeddedApiServer.Storage;
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

    [Fact]
    public void An_event_written_through_events_k8s_io_prints_its_series_and_reporting_controller()
    {
        string Ago(TimeSpan t) => (DateTime.UtcNow - t).ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", System.Globalization.CultureInfo.InvariantCulture);
        var series = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = "md.abc", ["namespace"] = "ns" },
            ["involvedObject"] = new JsonObject { ["kind"] = "MachineDeployment", ["name"] = "md" },
            ["reason"] = "SuccessfulScale",
            ["message"] = " Scaled up \n",
            ["type"] = "Normal",
            ["eventTime"] = Ago(TimeSpan.FromHours(5)),
            ["reportingComponent"] = "machinedeployment-controller",
            ["reportingInstance"] = "p1",
            ["series"] = new JsonObject { ["count"] = 4, ["lastObservedTime"] = Ago(TimeSpan.FromHours(3)) },
            ["firstTimestamp"] = null,
            ["lastTimestamp"] = null,
        };
        var legacy = new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Event",
            ["metadata"] = new JsonObject { ["name"] = "pod.1", ["namespace"] = "ns" },
            ["involvedObject"] = new JsonObject { ["kind"] = "Pod", ["name"] = "p" },
            ["reason"] = "Pulled",
            ["message"] = "ok",
            ["type"] = "Normal",
            ["source"] = new JsonObject { ["component"] = "kubelet" },
            ["firstTimestamp"] = Ago(TimeSpan.FromHours(5)),
            ["lastTimestamp"] = Ago(TimeSpan.FromHours(3)),
            ["count"] = 2,
        };
        var table = TableBuilder.Build(BuiltInTypes.Events, "v1", [StoredObject.From(series), StoredObject.From(legacy)], 1, null, TableBuilder.IncludeObject.None);

        var columns = table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).ToList();
        columns.ShouldBe(["Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"]);
        var rows = table["rows"]!.AsArray().Select(r => r!["cells"]!.AsArray().Select(c => c?.ToString() ?? "").ToList()).ToList();
        rows[0].ShouldBe(["3h", "Normal", "SuccessfulScale", "machinedeployment/md", "", "machinedeployment-controller, p1", "Scaled up", "5h", "4", "md.abc"]);
        rows[1].ShouldBe(["3h", "Normal", "Pulled", "pod/p", "", "kubelet", "ok", "5h", "2", "pod.1"]);
    }
}
