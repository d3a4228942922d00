using System.Text;

namespace ServerlessCapi.Cli.Tables;

/// <summary>Where a cell too wide for its column loses characters.</summary>
internal enum Cut
{
    /// <summary>Never cut (tree prefixes, short status words).</summary>
    Never,
    /// <summary>Keep the start: names, messages.</summary>
    End,
    /// <summary>Keep both ends: identifiers whose tail tells them apart (provider IDs).</summary>
    Middle,
}

/// <summary>One column: its header, how it may be cut, and the narrowest it may become.</summary>
internal sealed record TextColumn(string Header, Cut Cut = Cut.Never, int MinWidth = 12);

/// <summary>A plain-text table whose columns are as wide as their widest cell, two spaces apart, like kubectl's.
/// When a maximum width is given and the table is wider, the widest cuttable columns shrink (never below their
/// minimum) and their cells lose characters behind an ellipsis. Pure: no console access.</summary>
internal static class TextTable
{
    public const string Gap = "  ";
    public const char Ellipsis = '…';

    /// <summary>The terminal's width when output goes to one, else no limit (piped output is never cut).</summary>
    public static int ConsoleWidth()
    {
        if (Console.IsOutputRedirected) return int.MaxValue;
        try
        {
            return Console.WindowWidth > 0 ? Console.WindowWidth : int.MaxValue;
        }
        catch (IOException)
        {
            return int.MaxValue;
        }
    }

    public static string Render(IReadOnlyList<TextColumn> columns, IEnumerable<IReadOnlyList<string>> rows, int maxWidth = int.MaxValue)
    {
        var all = rows.Select(r => Normalize(r, columns.Count)).ToList();
        var widths = Widths(columns, all, maxWidth);
        var text = new StringBuilder();
        AppendLine(text, columns.Select(c => c.Header).ToList(), columns, widths);
        foreach (var row in all) AppendLine(text, row, columns, widths);
        return text.ToString();
    }

    /// <summary>Natural widths (widest cell or header), then shrunk to fit <paramref name="maxWidth"/> where allowed.</summary>
    public static int[] Widths(IReadOnlyList<TextColumn> columns, IReadOnlyList<IReadOnlyList<string>> rows, int maxWidth)
    {
        var widths = columns.Select((c, i) => rows.Select(r => r[i].Length).Append(c.Header.Length).Max()).ToArray();
        // The last column is not padded, so an empty one takes no room at all.
        int Total() => widths.Sum() + Gap.Length * (widths.Length - 1);
        while (Total() > maxWidth)
        {
            var candidates = Enumerable.Range(0, widths.Length)
                .Where(i => columns[i].Cut != Cut.Never && widths[i] > Math.Max(columns[i].MinWidth, columns[i].Header.Length))
                .ToList();
            if (candidates.Count == 0) break;
            // Shrink the widest first, one step at a time, so the cut is shared by the long columns.
            var widest = candidates.MaxBy(i => widths[i]);
            widths[widest]--;
        }
        return widths;
    }

    /// <summary>The text cut to <paramref name="width"/> characters with an ellipsis where <paramref name="cut"/> says.</summary>
    public static string Fit(string text, int width, Cut cut)
    {
        if (text.Length <= width || cut == Cut.Never) return text;
        if (width <= 1) return width == 1 ? Ellipsis.ToString() : "";
        if (cut == Cut.End) return string.Concat(text.AsSpan(0, width - 1), Ellipsis.ToString());
        var head = (width - 1) / 2;
        var tail = width - 1 - head;
        return string.Concat(text.AsSpan(0, head), Ellipsis.ToString(), text.AsSpan(text.Length - tail));
    }

    private static List<string> Normalize(IReadOnlyList<string> row, int count) =>
        Enumerable.Range(0, count).Select(i => i < row.Count ? row[i] ?? "" : "").ToList();

    private static void AppendLine(StringBuilder text, List<string> row, IReadOnlyList<TextColumn> columns, int[] widths)
    {
        var line = new StringBuilder();
        for (var i = 0; i < row.Count; i++)
        {
            var cell = Fit(row[i], widths[i], columns[i].Cut);
            line.Append(i == row.Count - 1 ? cell : cell.PadRight(widths[i]) + Gap);
        }
        text.Append(line.ToString().TrimEnd()).Append('\n');
    }
}
