namespace ServerlessCapi.Integration.Tests.Cli;

/// <summary>Reads <c>describe</c>'s table back into cells by the header's column positions, so tests assert on
/// what each column says (and, by reading it this way, that every row is aligned under its header).</summary>
internal static class DescribeOutput
{
    public static readonly string[] Columns = ["NAME", "REPLICAS", "AVAILABLE", "READY", "UP TO DATE", "STATUS", "REASON", "SINCE", "MESSAGE"];

    public static List<Dictionary<string, string>> Rows(string text, string[]? columns = null)
    {
        columns ??= Columns;
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        var starts = new List<int>();
        var from = 0;
        foreach (var column in columns)
        {
            var at = header.IndexOf(column, from, StringComparison.Ordinal);
            at.ShouldBeGreaterThanOrEqualTo(0, $"column {column} in header '{header}'");
            starts.Add(at);
            from = at + column.Length;
        }
        return lines.Skip(1).Select(line =>
        {
            var row = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Length; i++)
            {
                var start = Math.Min(starts[i], line.Length);
                var end = i + 1 < columns.Length ? Math.Min(starts[i + 1], line.Length) : line.Length;
                if (i + 1 < columns.Length && end > 0 && end < line.Length)
                    line[end - 1].ShouldBe(' ', $"the cell before {columns[i + 1]} runs into it: '{line}'");
                row[columns[i]] = line[start..end].TrimEnd();
            }
            return row;
        }).ToList();
    }

    /// <summary>The NAME column, tree glyphs and all.</summary>
    public static List<string> Names(string text) => Rows(text).Select(r => r["NAME"]).ToList();
}
