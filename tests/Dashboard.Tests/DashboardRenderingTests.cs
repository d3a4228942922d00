using System.Text.Json.Nodes;
using ServerlessCapi.Functions.Dashboard;
using ServerlessCapi.Functions.Metrics;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Workflows.Entity;

namespace ServerlessCapi.Dashboard.Tests;

/// <summary>The dashboard's rendering and metrics sampling as pure functions.</summary>
public sealed class DashboardRenderingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 8, 3, 0, 0, TimeSpan.Zero);

    private static ObjectView Machine(string name, string message) => ObjectView.From(JsonNode.Parse($$$"""
        {"kind":"Machine","metadata":{"name":"{{{name}}}","namespace":"default","uid":"u-{{{name}}}","creationTimestamp":"2026-12-08T02:59:00Z"},
         "status":{"phase":"Provisioning","conditions":[
           {"type":"Ready","status":"False","reason":"NotReady","message":{{{JsonValue.Create(message).ToJsonString()}}},"lastTransitionTime":"2026-12-08T02:59:30Z"},
           {"type":"BootstrapConfigReady","status":"True","reason":"Ready","lastTransitionTime":"2026-12-08T02:59:10Z"}]}}
        """)!.AsObject());

    [Fact]
    public void Text_from_the_cluster_is_encoded_and_a_timeline_lists_creation_conditions_and_notes_in_time_order()
    {
        var m = Machine("m-1", "<script>alert(1)</script>");
        var state = new ReconcileState { Runs = 3, Failures = 1, LastError = "HttpRequestException: <refused>" };
        state.Note(Now.AddSeconds(-45), "waiting for bootstrap data", failed: false);
        state.Note(Now.AddSeconds(-20), "HttpRequestException: <refused>", failed: true);
        var row = new ClusterRow("Machine/m-1", m, new ObjectFacts(ProviderId: "inmemory://m-1"), state, []);
        var cluster = ObjectView.From(JsonNode.Parse("""{"kind":"Cluster","metadata":{"name":"demo","namespace":"default"},"status":{"phase":"Provisioned"}}""")!.AsObject());
        var html = DashboardHtml.Cluster(new ClusterDetail(new ClusterRow("Cluster/demo", cluster, null, null, [row]), [row]), "default/demo", Now);

        html.ShouldNotContain("<script>");
        html.ShouldContain("&lt;script&gt;alert(1)&lt;/script&gt;");
        html.ShouldContain("1 failed in a row, retrying");
        var order = new[] { "Created", "BootstrapConfigReady True", "waiting for bootstrap data", "Ready False (NotReady)", "Error: HttpRequestException: &lt;refused&gt;" }
            .Select(s => html.IndexOf(s, StringComparison.Ordinal)).ToList();
        order.ShouldAllBe(i => i >= 0);
        order.ShouldBeInOrder();
    }

    [Fact]
    public void Totals_add_up_the_tracked_series_over_their_label_sets_from_the_exporters_text()
    {
        var text = """
            # TYPE scapi_workflow_steps_total counter
            scapi_workflow_steps_total{outcome="done",workflow="Machine"} 4
            scapi_workflow_steps_total{outcome="done",workflow="Cluster"} 3
            scapi_workflow_steps_total{outcome="failed",workflow="Machine"} 2
            scapi_workflow_step_duration_seconds_bucket{workflow="Machine",le="+Inf"} 6
            scapi_workflow_step_duration_seconds_sum{workflow="Machine"} 1.5
            scapi_workflow_step_duration_seconds_count{workflow="Machine"} 6
            scapi_queue_depth{queue="capi-events"} 7
            scapi_queue_depth{queue="capi-events-poison"} 1
            """;
        var totals = MetricsHistory.Totals(text);
        totals["steps.done"].ShouldBe(7);
        totals["steps.failed"].ShouldBe(2);
        totals["steps.requeue"].ShouldBe(0);
        totals["step.seconds.sum"].ShouldBe(1.5);
        totals["step.seconds.count"].ShouldBe(6);
        totals["queue.events"].ShouldBe(7);
        totals["queue.poison"].ShouldBe(1);
    }

    [Fact]
    public void Charts_draw_a_rate_per_interval_and_show_the_latest_value()
    {
        var samples = new[]
        {
            new MetricsSample(Now, new Dictionary<string, double> { ["steps.done"] = 0 }),
            new MetricsSample(Now.AddSeconds(5), new Dictionary<string, double> { ["steps.done"] = 10 }),
            new MetricsSample(Now.AddSeconds(10), new Dictionary<string, double> { ["steps.done"] = 30 }),
        };
        var html = MetricsCharts.Render(samples);
        html.ShouldContain("<figure class=\"chart\" data-chart=\"Workflow steps\">");
        // 2/s then 4/s: the latest value in the legend, and a polyline of two points.
        html.ShouldContain("done <b>4</b>");
        html.ShouldContain("<polyline class=\"s-ok\" points=\"0,");
    }

    [Fact]
    public void The_history_keeps_a_bounded_number_of_samples_of_this_apps_own_meters()
    {
        using var exporter = new PrometheusExporter();
        var history = new MetricsHistory(exporter, Microsoft.Extensions.Options.Options.Create(new DashboardOptions { Samples = 3 }), TimeProvider.System);
        for (var i = 0; i < 5; i++) history.Sample();
        history.Samples.Count.ShouldBe(3);
        history.Samples.ShouldAllBe(s => s.Values.ContainsKey("steps.done"));
    }
}
