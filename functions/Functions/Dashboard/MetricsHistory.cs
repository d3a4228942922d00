using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using ServerlessCapi.Functions.Metrics;

namespace ServerlessCapi.Functions.Dashboard;

/// <summary>The dashboard's settings (<c>Dashboard:*</c>).</summary>
public sealed class DashboardOptions
{
    public const string Section = "Dashboard";

    /// <summary>How often the metrics are sampled for the charts.</summary>
    public TimeSpan SampleInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How many samples the charts keep (with the default interval, the last 15 minutes).</summary>
    public int Samples { get; set; } = 180;

    /// <summary>How often the page asks for fresh data.</summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);
}

/// <summary>One sample of the series the charts draw: cumulative counters and current gauges, by series name.</summary>
public sealed record MetricsSample(DateTimeOffset At, IReadOnlyDictionary<string, double> Values);

/// <summary>Samples this instance's own metrics (the text <c>/metrics</c> serves) at a fixed interval and keeps a bounded
/// history of the few series the dashboard charts.</summary>
public sealed class MetricsHistory(PrometheusExporter exporter, IOptions<DashboardOptions> options, TimeProvider time)
{
    /// <summary>The series kept: a name for the chart and what it adds up from the exposition text.</summary>
    public static IReadOnlyList<(string Series, string Metric, string? Label, string? Value)> Tracked { get; } =
    [
        ("steps.done", "scapi_workflow_steps_total", "outcome", "done"),
        ("steps.requeue", "scapi_workflow_steps_total", "outcome", "requeue"),
        ("steps.failed", "scapi_workflow_steps_total", "outcome", "failed"),
        ("steps.terminal", "scapi_workflow_steps_total", "outcome", "terminal"),
        ("step.seconds.sum", "scapi_workflow_step_duration_seconds_sum", null, null),
        ("step.seconds.count", "scapi_workflow_step_duration_seconds_count", null, null),
        ("queue.events", "scapi_queue_depth", "queue", "capi-events"),
        ("queue.poison", "scapi_queue_depth", "queue", "capi-events-poison"),
        ("relay.events", "scapi_relay_events_total", null, null),
        ("dispatch.signals", "scapi_dispatch_signals_total", null, null),
        ("function.failures", "scapi_function_failures_total", null, null),
    ];

    private readonly Lock _gate = new();
    private readonly Queue<MetricsSample> _samples = new();

    public IReadOnlyList<MetricsSample> Samples
    {
        get
        {
            lock (_gate) return [.. _samples];
        }
    }

    /// <summary>Takes a sample unless the newest is younger than the interval (the page asks before the first tick).</summary>
    public void SampleIfDue()
    {
        var now = time.GetUtcNow();
        lock (_gate)
        {
            if (_samples.Count > 0 && now - _samples.Last().At < options.Value.SampleInterval) return;
        }
        Sample();
    }

    public void Sample()
    {
        var sample = new MetricsSample(time.GetUtcNow(), Totals(exporter.Render()));
        lock (_gate)
        {
            _samples.Enqueue(sample);
            while (_samples.Count > Math.Max(2, options.Value.Samples)) _samples.Dequeue();
        }
    }

    /// <summary>Adds up each tracked series over its label sets from Prometheus exposition text.</summary>
    public static IReadOnlyDictionary<string, double> Totals(string exposition)
    {
        var totals = Tracked.ToDictionary(t => t.Series, _ => 0.0, StringComparer.Ordinal);
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#' || ParseLine(line) is not { } parsed) continue;
            foreach (var t in Tracked)
            {
                if (t.Metric != parsed.Name) continue;
                if (t.Label is not null && (!parsed.Labels.TryGetValue(t.Label, out var v) || v != t.Value)) continue;
                totals[t.Series] += parsed.Value;
            }
        }
        return totals;
    }

    /// <summary>One sample line: <c>name{a="x",b="y"} value</c> (label values as the exporter escapes them).</summary>
    public static (string Name, IReadOnlyDictionary<string, string> Labels, double Value)? ParseLine(string line)
    {
        var brace = line.IndexOf('{', StringComparison.Ordinal);
        var space = line.LastIndexOf(' ');
        if (space <= 0) return null;
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        string name;
        if (brace > 0 && brace < space)
        {
            name = line[..brace];
            var close = line.LastIndexOf('}');
            if (close < brace) return null;
            var body = line[(brace + 1)..close];
            var i = 0;
            while (i < body.Length)
            {
                var eq = body.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= body.Length || body[eq + 1] != '"') return null;
                var key = body[i..eq].Trim(',', ' ');
                var value = new System.Text.StringBuilder();
                var j = eq + 2;
                for (; j < body.Length && body[j] != '"'; j++)
                {
                    if (body[j] == '\\' && j + 1 < body.Length)
                    {
                        j++;
                        value.Append(body[j] == 'n' ? '\n' : body[j]);
                    }
                    else
                    {
                        value.Append(body[j]);
                    }
                }
                labels[key] = value.ToString();
                i = j + 1;
            }
        }
        else
        {
            name = line[..space];
        }
        return double.TryParse(line[(space + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            ? (name, labels, number)
            : null;
    }
}

/// <summary>Samples the metrics for the charts while the app runs.</summary>
public sealed class MetricsSampler(MetricsHistory history, IOptions<DashboardOptions> options) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SampleInterval);
        do
        {
            history.Sample();
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
