using System.Diagnostics.Metrics;
using ServerlessCapi.Durable;

namespace ServerlessCapi.Functions.Provisioning;

/// <summary>Workflow steps as Prometheus sees them at <c>/metrics</c>: <c>scapi_workflow_steps_total{workflow,outcome}</c>
/// and <c>scapi_workflow_step_latency_seconds{workflow}</c> (from an event becoming deliverable to its step's commit);
/// <c>scapi_workflow_signals_coalesced_total{workflow}</c> counts "look again" signals left out because one was queued.</summary>
public static class WorkflowMetrics
{
    private static readonly Meter Meter = new("ServerlessCapi.Workflows");
    private static readonly Counter<long> Steps = Meter.CreateCounter<long>("scapi_workflow_steps_total", description: "Committed workflow steps, by outcome (ok, failed).");
    private static readonly Histogram<double> Latency = Meter.CreateHistogram<double>("scapi_workflow_step_latency_seconds", "s",
        "From an event becoming deliverable to the commit of the step that handled it.");

    private static readonly Counter<long> Coalesced = Meter.CreateCounter<long>("scapi_workflow_signals_coalesced_total",
        description: "Signals not sent because one for the same instance was already queued and its step had not begun.");

    /// <summary>Instance ids are <c>Kind/uid</c>: the kind names the workflow.</summary>
    public static void RecordCoalesced(string instanceId)
    {
        var slash = instanceId.IndexOf('/', StringComparison.Ordinal);
        Coalesced.Add(1, new KeyValuePair<string, object?>("workflow", slash > 0 ? instanceId[..slash] : instanceId));
    }

    public static void Record(StepMetrics step)
    {
        var workflow = new KeyValuePair<string, object?>("workflow", step.Workflow);
        Steps.Add(1, workflow, new KeyValuePair<string, object?>("outcome", step.Failed ? "failed" : "ok"));
        if (step.Latency is { } l) Latency.Record(l.TotalSeconds, workflow);
    }
}
