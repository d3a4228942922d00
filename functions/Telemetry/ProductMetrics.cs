using System.Diagnostics.Metrics;

namespace ServerlessCapi.Telemetry;

/// <summary>The product's instruments in OpenTelemetry's naming (meter <see cref="ProductTelemetry.Name"/>): reconcile
/// duration and count, and queue messages sent and processed. An OpenTelemetry MeterProvider exports them (OTLP when
/// configured); the app's Prometheus endpoint shows them too, beside the older per-part meters.</summary>
public sealed class ProductMetrics
{
    /// <summary>Bucket bounds for reconcile durations: most take milliseconds, a few wait seconds on a workload cluster.</summary>
    public static IReadOnlyList<double> DurationBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Histogram<double> _reconcileDuration;
    private readonly Counter<long> _reconciles;
    private readonly Counter<long> _queueMessages;

    public ProductMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(ProductTelemetry.Name);
        _reconcileDuration = meter.CreateHistogram<double>("scapi.reconcile.duration", unit: "s",
            description: "How long one reconcile of one object took, by kind and outcome.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets });
        _reconciles = meter.CreateCounter<long>("scapi.reconcile.steps", unit: "{reconcile}",
            description: "Reconciles run by the objects' durable entities, by kind and outcome (done, requeue, terminal, gone, failed).");
        _queueMessages = meter.CreateCounter<long>("scapi.queue.messages", unit: "{message}",
            description: "Queue messages sent (by the relay) and processed (by the dispatcher), by queue, operation and result.");
    }

    public void Reconciled(string kind, string outcome, TimeSpan elapsed)
    {
        KeyValuePair<string, object?>[] tags = [new(ProductTelemetry.Attributes.Kind, kind), new(ProductTelemetry.Attributes.Outcome, outcome)];
        _reconciles.Add(1, tags);
        _reconcileDuration.Record(Math.Max(0, elapsed.TotalSeconds), tags);
    }

    /// <summary>Messages put on <paramref name="queue"/>.</summary>
    public void Sent(string queue, int messages) =>
        _queueMessages.Add(messages, new(ProductTelemetry.Attributes.Destination, queue), new("messaging.operation.type", "send"),
            new("result", "success"));

    /// <summary>One message taken off <paramref name="queue"/> and handled (or not: the queue retries it).</summary>
    public void Processed(string queue, bool succeeded) =>
        _queueMessages.Add(1, new(ProductTelemetry.Attributes.Destination, queue), new("messaging.operation.type", "process"),
            new("result", succeeded ? "success" : "failure"));
}
