using System.Globalization;
using ServerlessCapi.Cli.Tables;

namespace ServerlessCapi.Cli.Describe;

/// <summary>Prints a <see cref="TreeNode"/> in clusterctl's v1beta2 layout: NAME (with tree glyphs), REPLICAS,
/// AVAILABLE, READY, UP TO DATE, STATUS, REASON, SINCE, MESSAGE; optionally a WORKFLOW column before MESSAGE.
/// Pure: the clock and the width are parameters.</summary>
internal static class TreePrinter
{
    private const string First = "├─";
    private const string Last = "└─";
    private const string Pipe = "│ ";
    private const string Indent = "  ";
    /// <summary>Condition rows sit this far right of their object's glyphs, so they do not read as children.</summary>
    private static readonly string ConditionFiller = new(' ', 10);
    /// <summary>Messages wrap at this width, as clusterctl's do.</summary>
    public const int MessageWidth = 100;

    private static readonly string[] Headers = ["NAME", "REPLICAS", "AVAILABLE", "READY", "UP TO DATE", "STATUS", "REASON", "SINCE", "MESSAGE"];

    public static string Render(TreeNode root, DateTimeOffset now, bool showWorkflow = false, int maxWidth = int.MaxValue)
    {
        var rows = new List<string[]>();
        AddObject(root, "", now, rows);
        var headers = showWorkflow ? [.. Headers[..8], "WORKFLOW", Headers[8]] : Headers;
        var columns = headers.Select(h => h switch
        {
            "REASON" => new TextColumn(h, Cut.End, 16),
            "MESSAGE" => new TextColumn(h, Cut.End, 20),
            _ => new TextColumn(h),
        }).ToList();
        // The workflow cell travels at the end of each row until here; MESSAGE stays last because it is free text.
        var cells = rows.Select(r => showWorkflow ? (IReadOnlyList<string>)[.. r[..8], r[9], r[8]] : r[..9]);
        return TextTable.Render(columns, cells, maxWidth);
    }

    /// <summary>The row for one node, its continuation lines, its condition rows, then its children.</summary>
    private static void AddObject(TreeNode node, string prefix, DateTimeOffset now, List<string[]> rows)
    {
        var children = node.OrderedChildren;
        var (replicas, available, ready, upToDate) = Counters(node);
        var shown = node.ShowConditions == ConditionFilter.None ? Headline(node) : null;
        List<string> message = node.NodeKind == NodeKind.Group
            ? ["See " + string.Join(", ", node.GroupItems.Take(2)) + (node.GroupItems.Count > 2 ? ", ..." : "")]
            : Wrap(shown?.Message ?? "", MessageWidth);
        rows.Add([prefix + node.RowName, replicas, available, ready, upToDate, shown?.Status ?? "", shown?.Reason ?? "",
            Age(shown?.LastTransitionTime, now), message.FirstOrDefault() ?? "", node.Workflow ?? ""]);

        // Continuation lines carry the tree's verticals on, and one more when children follow.
        var continuation = Descend(prefix) + (children.Count > 0 ? Pipe : "");
        foreach (var line in message.Skip(1)) rows.Add(Continuation(continuation, line));

        var conditions = ShowConditionsFilter.Select(node.Object?.Conditions ?? [], node.ShowConditions);
        for (var i = 0; i < conditions.Count; i++)
        {
            var c = conditions[i];
            var conditionPrefix = ChildPrefix(prefix + (children.Count > 0 ? Pipe : Indent) + ConditionFiller, i, conditions.Count);
            var lines = Wrap(c.Message ?? "", MessageWidth);
            rows.Add([conditionPrefix + c.Type, "", "", "", "", c.Status, c.Reason ?? "", Age(c.LastTransitionTime, now), lines.FirstOrDefault() ?? "", ""]);
            var conditionContinuation = conditionPrefix.EndsWith(First, StringComparison.Ordinal) ? conditionPrefix[..^First.Length] + Pipe : conditionPrefix[..^Last.Length];
            foreach (var line in lines.Skip(1)) rows.Add(Continuation(conditionContinuation, line));
        }

        for (var i = 0; i < children.Count; i++)
            AddObject(children[i], ChildPrefix(prefix, i, children.Count), now, rows);
    }

    private static string[] Continuation(string prefix, string line) => [prefix, "", "", "", "", "", "", "", line, ""];

    /// <summary>The prefix under a row's glyphs: a branch that goes on keeps its vertical, a last branch leaves blanks.</summary>
    internal static string Descend(string prefix) => prefix.Replace(First, Pipe, StringComparison.Ordinal).Replace(Last, Indent, StringComparison.Ordinal);

    internal static string ChildPrefix(string prefix, int index, int count) => Descend(prefix) + (index < count - 1 ? First : Last);

    /// <summary>The condition a row shows: Available for Clusters, MachineDeployments and control planes (which
    /// summarise into it under v1beta2), none for MachineSets (their Machines tell), Ready for everything else.</summary>
    internal static ObjectCondition? Headline(TreeNode node)
    {
        if (node.NodeKind == NodeKind.Group) return node.GroupReadyCondition;
        if (node.Object is not { } o) return null;
        return o.Role switch
        {
            ObjectRole.Cluster or ObjectRole.MachineDeployment => o.Condition("Available"),
            ObjectRole.ControlPlane => o.Condition("Available") ?? o.Condition("Ready"),
            ObjectRole.MachineSet => null,
            _ => o.Condition("Ready"),
        };
    }

    /// <summary>REPLICAS (current/desired), AVAILABLE, READY, UP TO DATE. A Machine counts as one replica and each
    /// of its counters is 1 when the matching condition is True; a group sums its Machines.</summary>
    internal static (string Replicas, string Available, string Ready, string UpToDate) Counters(TreeNode node)
    {
        static string N(int? n) => n?.ToString(CultureInfo.InvariantCulture) ?? "";
        if (node.NodeKind == NodeKind.Group)
            return ("", N(node.GroupAvailable), N(node.GroupReady), N(node.GroupUpToDate));
        if (node.Object is not { } o) return ("", "", "", "");
        if (o.Role == ObjectRole.Machine)
        {
            static string One(ObjectCondition? c) => c?.Status == "True" ? "1" : "0";
            return ("1", One(o.Condition("Available")), One(o.Condition("Ready")), One(o.Condition("UpToDate")));
        }
        if (o.Replicas is not { } r) return ("", "", "", "");
        var replicas = o.Role == ObjectRole.Cluster
            ? (r.Current is null && r.Desired is null ? "" : $"{r.Current ?? 0}/{r.Desired ?? 0}")
            : (r.Desired is null ? "" : $"{r.Current ?? 0}/{r.Desired}");
        return (replicas, N(r.Available), N(r.Ready), N(r.UpToDate));
    }

    /// <summary>Elapsed time the way kubectl prints ages: exact while short, coarser as it grows (12s, 3m4s, 15m,
    /// 4h20m, 20h, 3d4h, 20d, 2y3d).</summary>
    public static string Age(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is null) return "";
        var d = now - since.Value;
        var seconds = (long)Math.Floor(d.TotalSeconds);
        if (seconds < -1) return "<invalid>";
        if (seconds < 0) return "0s";
        if (seconds < 120) return $"{seconds}s";
        var minutes = seconds / 60;
        if (minutes < 10) return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        if (minutes < 180) return $"{minutes}m";
        var hours = minutes / 60;
        if (hours < 8) return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        if (hours < 48) return $"{hours}h";
        var days = hours / 24;
        if (hours < 24 * 8) return hours % 24 == 0 ? $"{days}d" : $"{days}d{hours % 24}h";
        if (days < 365 * 2) return $"{days}d";
        var years = days / 365;
        if (years < 8) return days % 365 == 0 ? $"{years}y" : $"{years}y{days % 365}d";
        return $"{years}y";
    }

    /// <summary>Splits a message into lines of at most about <paramref name="width"/> characters at spaces, keeping the
    /// message's own line breaks and indentation; a bullet's continuation lines indent under its text.</summary>
    public static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        if (text.Length == 0) return lines;
        foreach (var raw in text.Split('\n'))
        {
            var leading = raw[..(raw.Length - raw.TrimStart(' ').Length)];
            var hanging = leading + (raw.TrimStart().StartsWith("* ", StringComparison.Ordinal) ? "  " : "");
            var current = leading;
            foreach (var word in raw.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries))
            {
                if (current.Trim().Length > 0 && current.Length + 1 + word.Length > width)
                {
                    lines.Add(current);
                    current = hanging + word;
                    continue;
                }
                current += (current.Trim().Length > 0 ? " " : "") + word;
            }
            lines.Add(current);
        }
        return lines;
    }
}
