using ServerlessCapi.Cli.Up;

namespace ServerlessCapi.Integration.Tests.Cli;

/// <summary>What <c>scapi up</c> prints once ready: where each thing is and how to use it.</summary>
public sealed class WhereThingsAreTests
{
    private static readonly WhereThingsAre Sample = new(
        "/state/kubeconfig", ["http://127.0.0.1:7001", "http://127.0.0.1:7002"], "/state/admin-key", "/state/logs",
        "https://127.0.0.1:7443", "/state/webhooks/ca.crt", [("default", "demo"), ("team-a", "edge")]);

    [Fact]
    public void Ready_summary_says_where_the_kubeconfig_admin_api_metrics_dashboard_and_logs_are()
    {
        Sample.Lines().ShouldBe([
            "Where things are:",
            "  kubeconfig   /state/kubeconfig",
            "  kubectl      export KUBECONFIG=/state/kubeconfig",
            "               kubectl get clusters,machinedeployments,machines -A",
            "  describe     ./scapi describe cluster demo   (finds this run's kubeconfig by itself)",
            "               ./scapi describe cluster edge -n team-a",
            "  admin API    http://127.0.0.1:7001/api/admin/clusters   (header x-functions-key: the key in /state/admin-key)",
            "               curl -H \"x-functions-key: $(cat /state/admin-key)\" http://127.0.0.1:7001/api/admin/clusters",
            "  metrics      http://127.0.0.1:7001/metrics  http://127.0.0.1:7002/metrics",
            "  dashboard    http://127.0.0.1:7001/api/dashboard?code=KEY   (KEY: the key in /state/admin-key)",
            "               xdg-open \"http://127.0.0.1:7001/api/dashboard?code=$(cat /state/admin-key)\"",
            "  webhooks     https://127.0.0.1:7443   (CA /state/webhooks/ca.crt)",
            "  logs         /state/logs   (one file per process)",
        ]);
    }

    [Fact]
    public void With_traces_the_summary_names_the_trace_file_before_the_logs()
    {
        var lines = (Sample with { Traces = "/repo/traces.jsonl" }).Lines();
        lines[^2].ShouldBe("  traces       /repo/traces.jsonl   (one JSON span per line; jq 'select(.name == \"reconcile\")' /repo/traces.jsonl)");
        lines[^1].ShouldBe("  logs         /state/logs   (one file per process)");
        (Sample with { Traces = "console" }).Lines()[^2].ShouldBe("  traces       in the app logs, one JSON span per line   (grep '\"traceId\"' /state/logs/app-1.log)");
        Sample.Lines().ShouldNotContain(l => l.Contains("traces", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_clusters_the_describe_hint_shows_the_placeholder()
    {
        (Sample with { Clusters = [] }).Lines().ShouldContain("  describe     ./scapi describe cluster NAME   (finds this run's kubeconfig by itself)");
    }
}
