using System.Diagnostics.Metrics;
using ServerlessCapi.Durable;

namespace ServerlessCapi.Functions.Provisioning;

/// <summary>Workflow steps as Prometheus sees them at <c>/metrics</c>: <c>scapi_workflow_steps_total{workflow,outcome}</c>
/// and <c>scapi_workflow_step_latency_seconds{workflow}</c> (from an event becoming deliverable to its step's commit).</summary>
public static class WorkflowMetrics
{
    private static readonly Meter Meter = new("ServerlessCapi.Workflows");
    private static readonly Counter<long> Steps = Meter.CreateCounter<long>("scapi_workflow_steps_total", description: "Committed workflow steps, by outcome (ok, failed).");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("scapi_workflow_step_latency_seconds", "s",
        "From an event becoming deliverable to the commit of the step that handled it.");

    public static void Record(StepMetrics step)
    {
        var workflow = new KeyValuePair<string, object?>("workflow", step.Workflow);
        Steps.Add(1, workflow, new KeyValuePair<string, object?>("outcome", step.Failed ? "failed" : "ok"));
        if (step.Latency is { } l) Latency.Record(l.TotalSeconds, workflow);
    }
}
