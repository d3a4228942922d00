using System.Globalization;
using System.Text;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Workflows.Entity;

namespace ServerlessCapi.Functions.Dashboard;

/// <summary>The dashboard's sections as HTML fragments: the fleet, one cluster (conditions, tree, Machine timelines).
/// Pure: the clock is a parameter. The page renders them once and its script swaps in fresh ones.</summary>
public static class DashboardHtml
{
    /// <summary>The conditions that summarise a Cluster in the fleet table (v1beta2).</summary>
    private static readonly string[] FleetConditions = ["Available", "ControlPlaneAvailable", "WorkersAvailable", "InfrastructureReady"];

    /// <summary>Conditions whose False is the normal state: a timeline shows them only when they hold.</summary>
    private static readonly HashSet<string> NegativePolarity = new(["Paused", "Deleting", "Updating"], StringComparer.Ordinal);

    public static string Fleet(IReadOnlyList<FleetCluster> fleet, string? selected, DateTimeOffset now)
    {
        if (fleet.Count == 0) return "<p class=\"muted\">No Clusters in the management cluster.</p>";
        var html = new StringBuilder("<table class=\"grid\" id=\"fleet-table\"><thead><tr><th>Cluster</th><th>Phase</th>");
        foreach (var c in FleetConditions) html.Append("<th>").Append(Html.Text(c)).Append("</th>");
        html.Append("<th>Machines</th><th>Age</th></tr></thead><tbody>");
        foreach (var f in fleet)
        {
            var id = $"{f.Cluster.Namespace}/{f.Cluster.Name}";
            html.Append("<tr data-cluster=\"").Append(Html.Attr(id)).Append('"').Append(id == selected ? " class=\"selected\"" : "").Append('>')
                .Append("<td><a href=\"?cluster=").Append(Html.Attr(Uri.EscapeDataString(id))).Append("\" data-cluster=\"").Append(Html.Attr(id)).Append("\">")
                .Append(Html.Text(id)).Append("</a></td><td>").Append(Phase(f.Cluster.Phase, f.Cluster.Deleting)).Append("</td>");
            foreach (var type in FleetConditions) html.Append("<td>").Append(Badge(f.Cluster.Condition(type), now)).Append("</td>");
            html.Append("<td>").Append(Html.Text(string.Join(", ", f.MachinesByPhase.OrderBy(p => p.Key, StringComparer.Ordinal)
                    .Select(p => $"{p.Value.ToString(CultureInfo.InvariantCulture)} {p.Key}")))).Append("</td>")
                .Append("<td>").Append(Html.Age(f.Cluster.CreationTimestamp, now)).Append("</td></tr>");
        }
        return html.Append("</tbody></table>").ToString();
    }

    public static string Cluster(ClusterDetail? detail, string? selected, DateTimeOffset now)
    {
        if (detail is null)
            return selected is null ? "<p class=\"muted\">Pick a Cluster above.</p>" : $"<p class=\"muted\">Cluster {Html.Text(selected)} does not exist.</p>";
        var c = detail.Cluster;
        var html = new StringBuilder();
        html.Append("<h2 id=\"cluster-title\">Cluster ").Append(Html.Text($"{c.Namespace}/{c.Name}")).Append(' ')
            .Append(Phase(c.Phase, c.Deleting)).Append(' ').Append(Badge(c.Condition("Available"), now)).Append("</h2>");
        Conditions(html, c, now);
        html.Append("<h3>Tree</h3><table class=\"grid tree\" id=\"tree\"><thead><tr><th>Name</th><th>Phase</th><th>Replicas</th>")
            .Append("<th>Status</th><th>Reason</th><th>Since</th><th>Message</th><th>Workflow</th></tr></thead><tbody>");
        TreeRows(html, detail.Root, "", "", now);
        html.Append("</tbody></table>");
        html.Append("<h3>Machine timelines</h3><p class=\"muted\">Each Machine's durable entity keeps the last ")
            .Append(ReconcileState.TimelineLength.ToString(CultureInfo.InvariantCulture))
            .Append(" things its reconciles said, with the times its conditions last changed.</p>");
        foreach (var machine in detail.Machines) Timeline(html, machine, now);
        return html.ToString();
    }

    private static void Conditions(StringBuilder html, ObjectView o, DateTimeOffset now)
    {
        html.Append("<table class=\"grid conditions\" id=\"cluster-conditions\"><thead><tr><th>Condition</th><th>Status</th><th>Reason</th>")
            .Append("<th>Since</th><th>Message</th></tr></thead><tbody>");
        foreach (var condition in o.Conditions)
        {
            html.Append("<tr><td>").Append(Html.Text(condition.Type)).Append("</td><td>").Append(Badge(condition, now, withType: false))
                .Append("</td><td>").Append(Html.Text(condition.Reason)).Append("</td><td>").Append(Html.Age(condition.LastTransitionTime, now))
                .Append("</td><td class=\"message\">").Append(Html.Text(condition.Message)).Append("</td></tr>");
        }
        html.Append("</tbody></table>");
    }

    private static void TreeRows(StringBuilder html, ClusterRow row, string prefix, string childPrefix, DateTimeOffset now)
    {
        var o = row.Object;
        var headline = o?.Headline;
        html.Append("<tr").Append(o is null ? " class=\"group\"" : $" data-kind=\"{Html.Attr(o.Kind)}\" data-name=\"{Html.Attr(o.Name)}\"").Append('>')
            .Append("<td class=\"name\"><span class=\"glyph\">").Append(Html.Text(prefix)).Append("</span>").Append(Html.Text(row.Label));
        if (row.Facts?.Version is { } version) html.Append(" <span class=\"muted\">").Append(Html.Text(version)).Append("</span>");
        html.Append("</td><td>").Append(o is null ? "" : Phase(o.Phase, o.Deleting)).Append("</td><td>").Append(Html.Text(Replicas(row.Facts)))
            .Append("</td><td>").Append(headline is null ? "" : Badge(headline, now)).Append("</td><td>").Append(Html.Text(headline?.Reason))
            .Append("</td><td>").Append(Html.Age(headline?.LastTransitionTime, now)).Append("</td><td class=\"message\">").Append(Html.Text(headline?.Message))
            .Append("</td><td>").Append(Workflow(row.Workflow)).Append("</td></tr>");
        for (var i = 0; i < row.Children.Count; i++)
        {
            var last = i == row.Children.Count - 1;
            TreeRows(html, row.Children[i], childPrefix + (last ? "└─" : "├─"), childPrefix + (last ? "  " : "│ "), now);
        }
    }

    private static void Timeline(StringBuilder html, ClusterRow machine, DateTimeOffset now)
    {
        var m = machine.Object!;
        var facts = machine.Facts ?? new ObjectFacts();
        html.Append("<details class=\"timeline\" id=\"timeline-").Append(Html.Attr(m.Name)).Append("\" data-machine=\"").Append(Html.Attr(m.Name)).Append("\">")
            .Append("<summary>Machine ").Append(Html.Text(m.Name)).Append(' ').Append(Phase(m.Phase, m.Deleting));
        if (facts.NodeName is { } node) html.Append(" <span class=\"muted\">Node ").Append(Html.Text(node)).Append("</span>");
        html.Append("</summary><dl class=\"facts\">")
            .Append("<dt>providerID</dt><dd>").Append(Html.Text(facts.ProviderId ?? "not yet")).Append("</dd>")
            .Append("<dt>Node</dt><dd>").Append(Html.Text(facts.NodeName ?? "not yet")).Append("</dd>")
            .Append("<dt>Bootstrap data</dt><dd>").Append(facts.DataSecret ? "created" : "not yet").Append("</dd>");
        if (machine.Workflow is { } s)
        {
            html.Append("<dt>Reconciles</dt><dd>").Append(s.Runs.ToString(CultureInfo.InvariantCulture))
                .Append(s.Failures > 0 ? $", <span class=\"bad\">{s.Failures.ToString(CultureInfo.InvariantCulture)} failed in a row, retrying</span>" : "")
                .Append(s.WakeAt is { } wake ? $", next at {Html.Time(wake)}" : "").Append("</dd>");
            if (s.LastError is { } error) html.Append("<dt>Last error</dt><dd class=\"bad\">").Append(Html.Text(error)).Append("</dd>");
        }
        html.Append("</dl><ol class=\"steps\">");
        var entries = new List<(DateTimeOffset At, string Css, string Text)>();
        if (m.CreationTimestamp is { } created) entries.Add((created, "created", "Created"));
        foreach (var c in m.Conditions.Where(c => c.LastTransitionTime is not null && !(c.Status == "False" && NegativePolarity.Contains(c.Type))))
            entries.Add((c.LastTransitionTime!.Value, "condition " + Html.Tone(c.Status), $"{c.Type} {c.Status}" + (c.Reason is { } r && c.Status != "True" ? $" ({r})" : "")));
        foreach (var t in machine.Workflow?.Timeline ?? [])
            entries.Add((t.At, t.Failed ? "note error" : "note", t.Failed ? $"Error: {t.Note}" : t.Note));
        foreach (var (at, css, text) in entries.OrderBy(e => e.At))
            html.Append("<li class=\"").Append(css).Append("\">").Append(Html.Time(at)).Append(' ').Append(Html.Text(text)).Append("</li>");
        html.Append("</ol></details>");
    }

    private static string Replicas(ObjectFacts? f) =>
        f?.DesiredReplicas is not { } desired ? ""
        : string.Create(CultureInfo.InvariantCulture, $"{f.Replicas ?? 0}/{desired}") +
          (f.ReadyReplicas is { } ready ? string.Create(CultureInfo.InvariantCulture, $" · {ready} ready") : "") +
          (f.AvailableReplicas is { } available ? string.Create(CultureInfo.InvariantCulture, $" · {available} available") : "");

    private static string Workflow(ReconcileState? s)
    {
        if (s is null) return "";
        var text = new StringBuilder("<span title=\"").Append(Html.Attr(s.LastSummary)).Append("\">")
            .Append(s.Runs.ToString(CultureInfo.InvariantCulture)).Append(s.Runs == 1 ? " run" : " runs");
        if (s.Failures > 0) text.Append(", <span class=\"bad\">").Append(s.Failures.ToString(CultureInfo.InvariantCulture)).Append(" failing</span>");
        if (s.TerminalReason is not null) text.Append(", stopped");
        return text.Append("</span>").ToString();
    }

    private static string Phase(string? phase, bool deleting)
    {
        var text = deleting ? "Deleting" : phase;
        return text is null ? "" : $"<span class=\"phase {Html.Tone(text)}\">{Html.Text(text)}</span>";
    }

    private static string Badge(ConditionView? c, DateTimeOffset now, bool withType = true)
    {
        if (c is null) return "";
        var title = string.Join(" · ", new[] { c.Reason, c.Message, c.LastTransitionTime is null ? null : $"since {ClusterTreeRenderer.Age(c.LastTransitionTime, now)}" }
            .Where(s => !string.IsNullOrEmpty(s)));
        // A negative-polarity condition (Paused, Deleting) is fine when False.
        var tone = NegativePolarity.Contains(c.Type) && c.Status == "False" ? "ok" : Html.Tone(c.Status);
        return $"<span class=\"badge {tone}\" data-condition=\"{Html.Attr(c.Type)}\" title=\"{Html.Attr(title)}\">{(withType ? Html.Text(c.Type) + " " : "")}{Html.Text(c.Status)}</span>";
    }
}
