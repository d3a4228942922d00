using System.Globalization;
using System.Text;

namespace ServerlessCapi.Reconcilers.Admin;

/// <summary>How <see cref="ClusterTreeRenderer"/> lays out the tree.</summary>
/// <param name="Grouping">Collapse sibling Machines in the same state into one "N Machines..." row.</param>
/// <param name="ShowWorkflow">Add a WORKFLOW column with each object's workflow runtime status.</param>
public sealed record TreeRenderOptions(bool Grouping = true, bool ShowWorkflow = false);

/// <summary>Renders a <see cref="TreeNode"/> as the text table <c>clusterctl describe cluster</c> prints:
/// NAME (with tree glyphs), READY, SEVERITY, REASON, SINCE, MESSAGE. Pure: the clock is a parameter.</summary>
public static class ClusterTreeRenderer
{
    private static readonly string[] Headers = ["NAME", "READY", "SEVERITY", "REASON", "SINCE", "MESSAGE"];

    public static string Render(TreeNode root, DateTimeOffset now, TreeRenderOptions? options = null)
    {
        options ??= new TreeRenderOptions();
        var rows = new List<string[]>();
        AddRows(root, "", "", now, options, rows);

        var headers = options.ShowWorkflow ? [.. Headers[..5], "WORKFLOW", Headers[5]] : Headers;
        if (options.ShowWorkflow)
        {
            // The workflow column sits before MESSAGE, which stays last because it is free text.
            rows = rows.Select(r => (string[])[.. r[..5], r[6], r[5]]).ToList();
        }
        else
        {
            rows = rows.Select(r => r[..6]).ToList();
        }

        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(headers))
        {
            var line = new StringBuilder();
            for (var i = 0; i < row.Length; i++)
            {
                line.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }
            text.Append(line.ToString().TrimEnd()).Append('\n');
        }
        return text.ToString();
    }

    /// <summary>Human age like kubectl prints it: 42s, 5m, 3h, 2d.</summary>
    public static string Age(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is null) return "";
        var d = now - since.Value;
        if (d < TimeSpan.Zero) d = TimeSpan.Zero;
        return d.TotalSeconds < 60 ? $"{(int)d.TotalSeconds}s"
            : d.TotalMinutes < 60 ? $"{(int)d.TotalMinutes}m"
            : d.TotalHours < 48 ? $"{(int)d.TotalHours}h"
            : $"{(int)d.TotalDays}d";
    }

    /// <summary>v1beta2 conditions have no severity; derive the one clusterctl showed for v1beta1:
    /// nothing when fine, Warning when False, Info while Unknown.</summary>
    public static string Severity(ConditionView? c) => c?.Status switch
    {
        "False" => "Warning",
        "Unknown" => "Info",
        _ => "",
    };

    private static void AddRows(TreeNode node, string prefix, string childPrefix, DateTimeOffset now, TreeRenderOptions options, List<string[]> rows)
    {
        AddRow(rows, prefix + node.Label, childPrefix + (node.Children.Count > 0 ? "│ " : "  "), node.Object?.Headline, now, node.Workflow);

        var children = options.Grouping ? Group(node.Children) : node.Children.Select(c => (Node: c, Count: 1, Names: (string?)null)).ToList();
        for (var i = 0; i < children.Count; i++)
        {
            var last = i == children.Count - 1;
            var (child, count, names) = children[i];
            var glyph = last ? "└─" : "├─";
            var next = childPrefix + (last ? "  " : "│ ");
            if (count > 1)
            {
                var headline = child.Object?.Headline;
                var message = $"See {names}";
                AddRow(rows, $"{childPrefix}{glyph}{count} Machines...", next, headline is null ? null : headline with { Message = message }, now, null);
                continue;
            }
            AddRows(child, childPrefix + glyph, next, now, options, rows);
        }
    }

    private static void AddRow(List<string[]> rows, string name, string continuation, ConditionView? c, DateTimeOffset now, string? workflow)
    {
        var lines = (c?.Message ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var reason = c is null || c.Status == "True" && c.Reason is "Ready" or "Available" ? "" : c.Reason ?? "";
        rows.Add([name, c?.Status ?? "", Severity(c), reason, Age(c?.LastTransitionTime, now), lines.FirstOrDefault() ?? "", workflow ?? ""]);
        foreach (var line in lines.Skip(1))
            rows.Add([continuation, "", "", "", "", line, ""]);
    }

    /// <summary>Collapses runs of leaf Machines whose headline condition agrees (status, reason) into one entry.</summary>
    private static List<(TreeNode Node, int Count, string? Names)> Group(IReadOnlyList<TreeNode> children)
    {
        var result = new List<(TreeNode, int, string?)>();
        var groups = children
            .Select((c, i) => (c, i))
            .GroupBy(x => x.c.Object is { Kind: "Machine" } m && x.c.Children.Count == 0
                ? $"machine|{m.Headline?.Status}|{m.Headline?.Reason}|{x.c.Workflow}"
                : $"single|{x.i.ToString(CultureInfo.InvariantCulture)}")
            .OrderBy(g => g.Min(x => x.i));
        foreach (var g in groups)
        {
            var members = g.Select(x => x.c).ToList();
            if (members.Count == 1)
            {
                result.Add((members[0], 1, null));
                continue;
            }
            // The group shows the condition that changed last, as clusterctl does.
            var newest = members.OrderByDescending(m => m.Object?.Headline?.LastTransitionTime ?? DateTimeOffset.MinValue).First();
            var names = string.Join(", ", members.Select(m => m.Object!.Name).Take(3)) + (members.Count > 3 ? ", ..." : "");
            result.Add((newest, members.Count, names));
        }
        return result;
    }
}
