using System.Globalization;
using System.Text;

namespace ServerlessCapi.Functions.Dashboard;

/// <summary>Renders the sampled metrics as small inline SVG line charts (no script, no external assets).</summary>
public static class MetricsCharts
{
    private const int Width = 300;
    private const int Height = 72;

    private sealed record Line(string Name, string CssClass, Func<MetricsSample, MetricsSample, double?> Value);

    private sealed record Chart(string Title, string Unit, IReadOnlyList<Line> Lines);

    private static readonly Chart[] Charts =
    [
        new("Workflow steps", "/s",
        [
            new("done", "s-ok", (a, b) => Rate(a, b, "steps.done")),
            new("requeue", "s-info", (a, b) => Rate(a, b, "steps.requeue")),
            new("failed", "s-bad", (a, b) => Rate(a, b, "steps.failed") + Rate(a, b, "steps.terminal")),
        ]),
        new("Mean reconcile time", "ms",
        [
            new("reconcile", "s-info", (a, b) =>
                Delta(a, b, "step.seconds.count") is > 0 and var n ? Delta(a, b, "step.seconds.sum") / n * 1000 : null),
        ]),
        new("Queue depth", "msgs",
        [
            new("capi-events", "s-info", (_, b) => b.Values.GetValueOrDefault("queue.events")),
            new("poison", "s-bad", (_, b) => b.Values.GetValueOrDefault("queue.poison")),
        ]),
        new("Relay and dispatch", "/s",
        [
            new("events relayed", "s-info", (a, b) => Rate(a, b, "relay.events")),
            new("signals sent", "s-ok", (a, b) => Rate(a, b, "dispatch.signals")),
            new("function failures", "s-bad", (a, b) => Rate(a, b, "function.failures")),
        ]),
    ];

    public static string Render(IReadOnlyList<MetricsSample> samples)
    {
        var html = new StringBuilder();
        var span = samples.Count > 1 ? samples[^1].At - samples[0].At : TimeSpan.Zero;
        html.Append("<p class=\"muted\">This instance's metrics (as <code>/metrics</code> serves them), sampled ")
            .Append(samples.Count.ToString(CultureInfo.InvariantCulture)).Append(" times over the last ")
            .Append(Html.Text(Span(span))).Append(".</p><div class=\"charts\">");
        foreach (var chart in Charts) RenderChart(html, chart, samples);
        return html.Append("</div>").ToString();
    }

    private static void RenderChart(StringBuilder html, Chart chart, IReadOnlyList<MetricsSample> samples)
    {
        var series = chart.Lines.Select(l => samples.Zip(samples.Skip(1), (a, b) => l.Value(a, b) ?? 0).ToList()).ToList();
        var max = Math.Max(series.SelectMany(s => s).DefaultIfEmpty(0).Max(), 0);
        var top = NiceCeiling(max);
        html.Append("<figure class=\"chart\" data-chart=\"").Append(Html.Attr(chart.Title)).Append("\"><figcaption>")
            .Append(Html.Text(chart.Title)).Append(" <span class=\"muted\">(").Append(Html.Text(chart.Unit)).Append(")</span></figcaption>")
            .Append(CultureInfo.InvariantCulture, $"<svg viewBox=\"0 0 {Width} {Height}\" width=\"{Width}\" height=\"{Height}\" role=\"img\" aria-label=\"")
            .Append(Html.Attr(chart.Title)).Append("\">")
            .Append(CultureInfo.InvariantCulture, $"<line class=\"axis\" x1=\"0\" y1=\"{Height - 1}\" x2=\"{Width}\" y2=\"{Height - 1}\"/>")
            .Append("<text class=\"tick\" x=\"2\" y=\"10\">").Append(Html.Text(Number(top))).Append("</text>");
        for (var i = 0; i < series.Count; i++)
        {
            var points = series[i];
            if (points.Count == 0) continue;
            var step = points.Count > 1 ? (double)Width / (points.Count - 1) : 0;
            var coordinates = string.Join(' ', points.Select((v, x) =>
                string.Create(CultureInfo.InvariantCulture, $"{x * step:0.#},{Height - 2 - (top == 0 ? 0 : v / top * (Height - 14)):0.#}")));
            html.Append("<polyline class=\"").Append(chart.Lines[i].CssClass).Append("\" points=\"").Append(coordinates).Append("\"/>");
        }
        html.Append("</svg><ul class=\"legend\">");
        for (var i = 0; i < series.Count; i++)
        {
            var latest = series[i].Count > 0 ? series[i][^1] : 0;
            html.Append("<li class=\"").Append(chart.Lines[i].CssClass).Append("\">").Append(Html.Text(chart.Lines[i].Name))
                .Append(" <b>").Append(Html.Text(Number(latest))).Append("</b></li>");
        }
        html.Append("</ul></figure>");
    }

    private static double? Delta(MetricsSample a, MetricsSample b, string series) =>
        // A counter that went down belongs to a restarted process: count from zero.
        b.Values.GetValueOrDefault(series) is var now && a.Values.GetValueOrDefault(series) is var before && now >= before ? now - before : now;

    private static double? Rate(MetricsSample a, MetricsSample b, string series) =>
        (b.At - a.At).TotalSeconds is > 0 and var seconds ? Delta(a, b, series) / seconds : null;

    private static double NiceCeiling(double v)
    {
        if (v <= 0) return 1;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(v)));
        foreach (var m in new[] { 1, 2, 5, 10 })
            if (v <= m * magnitude) return m * magnitude;
        return 10 * magnitude;
    }

    private static string Number(double v) =>
        v >= 100 ? v.ToString("0", CultureInfo.InvariantCulture)
        : v >= 10 ? v.ToString("0.#", CultureInfo.InvariantCulture)
        : v.ToString("0.##", CultureInfo.InvariantCulture);

    private static string Span(TimeSpan t) =>
        t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes} min {t.Seconds} s" : $"{(int)t.TotalSeconds} s";
}
