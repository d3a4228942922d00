using ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Framework;

/// <summary>How much a condition weighs when merged into a summary or an aggregate.</summary>
public enum MergePriority
{
    Issue,
    Unknown,
    Info,
}

/// <summary>A condition together with the object that reported it (for aggregate messages).</summary>
public sealed record OwnedCondition(string OwnerKind, string OwnerName, Condition Condition, bool IsControlPlaneMachine = false);

/// <summary>Options of a merge: polarity, reasons and per-condition priority tweaks.</summary>
public sealed record MergeOptions
{
    /// <summary>Condition types where True is bad (Deleting, Updating, ...).</summary>
    public IReadOnlySet<string> NegativePolarity { get; init; } = new HashSet<string>();

    /// <summary>Overrides the default priority of a condition (return null to keep the default).</summary>
    public Func<Condition, MergePriority?>? Priority { get; init; }

    public string IssueReason { get; init; } = "IssuesReported";
    public string UnknownReason { get; init; } = "UnknownReported";
    public string InfoReason { get; init; } = "InfoReported";

    /// <summary>False for a target condition where True means trouble (e.g. an aggregate of Deleting).</summary>
    public bool TargetPositive { get; init; } = true;

    public MergePriority PriorityOf(Condition c) => Priority?.Invoke(c) ?? c.Status switch
    {
        ConditionStatus.True => NegativePolarity.Contains(c.Type) ? MergePriority.Issue : MergePriority.Info,
        ConditionStatus.False => NegativePolarity.Contains(c.Type) ? MergePriority.Info : MergePriority.Issue,
        _ => MergePriority.Unknown,
    };
}

/// <summary>CAPI's summary and aggregate conditions (util/conditions): one condition computed from several,
/// issues first, then unknowns, then information, with messages in CAPI's "* Type: message" layout.</summary>
public static class ConditionMerge
{
    private const int AggregateMessageLines = 3;

    /// <summary>Summarises <paramref name="forTypes"/> of one object into a <paramref name="targetType"/> condition.
    /// A missing condition counts as Unknown ("Condition not yet reported") unless listed in
    /// <paramref name="ignoreIfMissing"/>; <paramref name="overrides"/> replace conditions for the summary only.</summary>
    public static Condition Summary(string targetType, IEnumerable<Condition>? conditions, IReadOnlyList<string> forTypes, MergeOptions options,
        IReadOnlySet<string>? ignoreIfMissing = null, IReadOnlyDictionary<string, Condition>? overrides = null)
    {
        var byType = (conditions ?? []).GroupBy(c => c.Type).ToDictionary(g => g.Key, g => g.First());
        var inScope = new List<Condition>();
        foreach (var type in forTypes)
        {
            if (overrides is not null && overrides.TryGetValue(type, out var o))
                inScope.Add(o);
            else if (byType.TryGetValue(type, out var c))
                inScope.Add(c);
            else if (ignoreIfMissing is null || !ignoreIfMissing.Contains(type))
                inScope.Add(new Condition { Type = type, Status = ConditionStatus.Unknown, Reason = "NotYetReported", Message = "Condition not yet reported" });
        }

        var (status, reason) = StatusAndReason(inScope, options);
        var messages = new List<string>();
        foreach (var c in inScope)
        {
            // Information is worth a line only when the summary is fine and it says something.
            if (options.PriorityOf(c) == MergePriority.Info && (status != (options.TargetPositive ? ConditionStatus.True : ConditionStatus.False) || c.Message.Length == 0))
                continue;
            messages.Add($"* {c.Type}:" + (c.Message.Length > 0 ? Indent(c.Message) : $" {c.Reason}"));
        }
        return new Condition { Type = targetType, Status = status, Reason = reason, Message = string.Join("\n", messages) };
    }

    /// <summary>Aggregates one condition type across many objects (e.g. the Ready of every Machine of a
    /// cluster). A source without the condition counts as Unknown. Empty sources are not allowed.</summary>
    public static Condition Aggregate(string targetType, IReadOnlyList<OwnedCondition> sources, MergeOptions options)
    {
        if (sources.Count == 0) throw new ArgumentException("Nothing to aggregate.", nameof(sources));
        var (status, reason) = StatusAndReason(sources.Select(s => s.Condition).ToList(), options);

        var issues = sources.Where(s => options.PriorityOf(s.Condition) != MergePriority.Info).ToList();
        var lines = issues.Count > 0
            ? AggregateMessages(issues, dropEmpty: false, options, new Dictionary<MergePriority, string>
            {
                [MergePriority.Issue] = "with other issues",
                [MergePriority.Unknown] = "with status unknown",
            })
            : AggregateMessages(sources, dropEmpty: true, options, new Dictionary<MergePriority, string> { [MergePriority.Info] = "with additional info" });
        return new Condition { Type = targetType, Status = status, Reason = reason, Message = string.Join("\n", lines) };
    }

    /// <summary>The condition of <paramref name="type"/> from a list, or an Unknown "not yet reported" stand-in.</summary>
    public static Condition OrNotYetReported(IEnumerable<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type)
        ?? new Condition { Type = type, Status = ConditionStatus.Unknown, Reason = "NotYetReported", Message = $"Condition {type} not yet reported" };

    private static (string Status, string Reason) StatusAndReason(IReadOnlyList<Condition> inScope, MergeOptions options)
    {
        var priorities = inScope.Select(options.PriorityOf).ToList();
        if (priorities.Contains(MergePriority.Issue))
            return (options.TargetPositive ? ConditionStatus.False : ConditionStatus.True, options.IssueReason);
        if (priorities.Contains(MergePriority.Unknown))
            return (ConditionStatus.Unknown, options.UnknownReason);
        return (options.TargetPositive ? ConditionStatus.True : ConditionStatus.False, options.InfoReason);
    }

    private static List<string> AggregateMessages(IReadOnlyList<OwnedCondition> sources, bool dropEmpty, MergeOptions options,
        Dictionary<MergePriority, string> others)
    {
        var lines = new List<string>();
        var budget = AggregateMessageLines;
        foreach (var byKind in sources.Where(s => !dropEmpty || s.Condition.Message.Length > 0).GroupBy(s => s.OwnerKind).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var kind = byKind.Key;
            var groups = byKind.GroupBy(s => s.Condition.Message)
                .Select(g => new
                {
                    Message = g.Key,
                    Owners = g.OrderByDescending(s => s.IsControlPlaneMachine).ThenBy(s => s.OwnerName, StringComparer.Ordinal).ToList(),
                    Priority = g.Min(s => options.PriorityOf(s.Condition)),
                    First = g.Any(s => s.IsControlPlaneMachine),
                })
                .OrderByDescending(g => g.First).ThenBy(g => g.Priority).ThenByDescending(g => g.Owners.Count).ThenBy(g => g.Message, StringComparer.Ordinal)
                .ToList();
            var left = new Dictionary<MergePriority, int>();
            foreach (var g in groups)
            {
                if (budget == 0)
                {
                    left[g.Priority] = left.GetValueOrDefault(g.Priority) + g.Owners.Count;
                    continue;
                }
                var names = g.Owners.Select(o => o.OwnerName).ToList();
                var head = names.Count switch
                {
                    1 => $"* {kind} {names[0]}:",
                    <= 3 => $"* {kind}s {string.Join(", ", names)}:",
                    _ => $"* {kind}s {string.Join(", ", names.Take(3))}, ... ({names.Count - 3} more):",
                };
                lines.Add(head + Indent(g.Message));
                budget--;
            }
            foreach (var p in new[] { MergePriority.Issue, MergePriority.Unknown, MergePriority.Info })
            {
                if (left.TryGetValue(p, out var n) && others.TryGetValue(p, out var what))
                    lines.Add($"And {n} {(n == 1 ? kind : kind + "s")} {what}");
            }
        }
        return lines;
    }

    /// <summary>A one-line message follows the colon; a multi-line or bulleted one starts on the next line,
    /// indented (and bulleted where mixed), so nested summaries stay readable.</summary>
    private static string Indent(string message)
    {
        if (!message.Contains('\n', StringComparison.Ordinal) && !IsBullet(message)) return " " + message;
        var lines = message.Split('\n');
        var mixed = lines.Any(l => !IsBullet(l));
        return "\n" + string.Join("\n", lines.Select(l => (mixed ? (IsBullet(l) ? "    " : "  * ") : "  ") + l));
    }

    private static bool IsBullet(string line) => line.TrimStart().StartsWith("* ", StringComparison.Ordinal);
}
