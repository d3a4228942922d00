using System.Text.Json.Nodes;
using ServerlessCapi.Cli.Tables;
using ServerlessCapi.Cli.Up;

namespace ServerlessCapi.Integration.Tests.Cli;

/// <summary>Tables fit their content: columns as wide as their widest cell, and cut with an ellipsis only when a
/// terminal is narrower than the table.</summary>
public sealed class TextTableTests
{
    private static JsonNode Machine(string name, string providerId, string? node = null) => JsonNode.Parse($$$"""
        {"metadata": {"namespace": "default", "name": "{{{name}}}"},
         "spec": {"clusterName": "demo", "providerID": "{{{providerId}}}", "version": "v1.33.0"},
         "status": {"phase": "Running", "nodeRef": {"name": "{{{node ?? name}}}" } } }
        """)!;

    private static readonly string LongId = "in-memory://default/demo/" + new string('x', 60) + "-tail42";

    [Fact]
    public void Columns_are_as_wide_as_their_widest_cell_so_long_provider_ids_do_not_break_rows()
    {
        var text = FleetTable.RenderMachines([Machine("demo-md-0-b", LongId), Machine("demo-cp-a", "in-memory://a")], int.MaxValue);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe($"NAME         CLUSTER  NODE NAME    PROVIDER ID{new string(' ', LongId.Length - 11)}  PHASE    VERSION");
        lines[1].ShouldBe($"demo-cp-a    demo     demo-cp-a    in-memory://a{new string(' ', LongId.Length - 13)}  Running  v1.33.0");
        lines[2].ShouldBe($"demo-md-0-b  demo     demo-md-0-b  {LongId}  Running  v1.33.0");
    }

    [Fact]
    public void A_narrow_terminal_cuts_provider_ids_in_the_middle_and_keeps_their_tail()
    {
        var text = FleetTable.RenderMachines([Machine("demo-md-0-b", LongId)], 80);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(l => l.Length <= 80);
        lines[1].ShouldContain("in-memory://");
        lines[1].ShouldContain("…");
        lines[1].ShouldContain("-tail42  Running  v1.33.0");
        lines[1].IndexOf("Running", StringComparison.Ordinal).ShouldBe(lines[0].IndexOf("PHASE", StringComparison.Ordinal));
    }

    [Fact]
    public void The_cut_is_shared_by_the_widest_columns_and_stops_at_their_minimum()
    {
        TextColumn[] columns = [new("A", Cut.End, 4), new("B", Cut.End, 4), new("C")];
        string[][] rows = [["aaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb", "c"]];

        TextTable.Widths(columns, rows, 24).ShouldBe([9, 10, 1]);
        TextTable.Widths(columns, rows, 5).ShouldBe([4, 4, 1]);
        TextTable.Render(columns, rows, 24).ShouldBe("A          B           C\naaaaaaaa…  bbbbbbbbb…  c\n");
    }

    [Theory]
    [InlineData("abcdefghij", 10, "End", "abcdefghij")]
    [InlineData("abcdefghij", 5, "End", "abcd…")]
    [InlineData("abcdefghij", 5, "Middle", "ab…ij")]
    [InlineData("abcdefghij", 6, "Middle", "ab…hij")]
    [InlineData("abcdefghij", 5, "Never", "abcdefghij")]
    public void Cells_lose_characters_where_their_column_says(string text, int width, string cut, string expected) =>
        TextTable.Fit(text, width, Enum.Parse<Cut>(cut)).ShouldBe(expected);
}
