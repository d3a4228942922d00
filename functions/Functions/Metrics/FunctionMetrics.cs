using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace ServerlessCapi.Functions.Metrics;

/// <summary>The runtime's own instruments: per-function invocations, failures and duration; queue depth.</summary>
public sealed class FunctionMetrics
{
    public const string MeterName = "ServerlessCapi.Functions";

    private readonly Counter<long> _invocations;
    private readonly Counter<long> _failures;
    private readonly Histogram<double> _duration;
    private readonly ConcurrentDictionary<string, long> _queueDepth = new(StringComparer.Ordinal);

    public FunctionMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _invocations = meter.CreateCounter<long>("scapi.function.invocations", description: "Function invocations by function, trigger and result.");
        _failures = meter.CreateCounter<long>("scapi.function.failures", description: "Function invocations that threw.");
        _duration = meter.CreateHistogram<double>("scapi.function.duration", unit: "s", description: "Function run time.");
        meter.CreateObservableGauge("scapi.queue.depth", ObserveQueueDepth, description: "Approximate messages per queue, sampled.");
    }

    public void Invoked(string function, string trigger, bool succeeded, TimeSpan elapsed)
    {
        var f = new KeyValuePair<string, object?>("function", function);
        var t = new KeyValuePair<string, object?>("trigger", trigger);
        _invocations.Add(1, f, t, new("result", succeeded ? "success" : "failure"));
        if (!succeeded) _failures.Add(1, f, t);
        _duration.Record(elapsed.TotalSeconds, f, t);
    }

    /// <summary>Records the latest sample of a queue's approximate length.</summary>
    public void QueueDepthSampled(string queue, long depth) => _queueDepth[queue] = depth;

    private IEnumerable<Measurement<long>> ObserveQueueDepth() =>
        _queueDepth.Select(p => new Measurement<long>(p.Value, new KeyValuePair<string, object?>("queue", p.Key)));
}
