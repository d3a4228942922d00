using System.Diagnostics.Metrics;

namespace ServerlessCapi.Functions.Dispatch;

/// <summary>Dispatcher instruments: event age at dispatch and signals sent.</summary>
public sealed class DispatchMetrics
{
    private readonly Histogram<double> _latency;
    private readonly Counter<long> _signals;

    public DispatchMetrics(IMeterFactory meters)
    {
        var meter = meters.Create("ServerlessCapi.Dispatch");
        _latency = meter.CreateHistogram<double>("scapi.dispatch.latency", unit: "s",
            description: "Time from the relay emitting an event to its dispatch.");
        _signals = meter.CreateCounter<long>("scapi.dispatch.signals", description: "Workflow signals sent, by target kind and route.");
    }

    public void Latency(string kind, TimeSpan age) =>
        _latency.Record(Math.Max(0, age.TotalSeconds), new KeyValuePair<string, object?>("kind", kind));

    public void Signalled(string kind, string route) =>
        _signals.Add(1, new KeyValuePair<string, object?>("kind", kind), new KeyValuePair<string, object?>("route", route));
}
