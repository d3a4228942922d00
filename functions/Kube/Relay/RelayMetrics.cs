using System.Diagnostics.Metrics;

namespace ServerlessCapi.Kube.Relay;

/// <summary>Relay instruments (meter <c>ServerlessCapi.Kube</c>).</summary>
public sealed class RelayMetrics
{
    public const string MeterName = "ServerlessCapi.Kube";

    private readonly Counter<long> _relayed;
    private readonly Counter<long> _relists;
    private readonly Counter<long> _watchFailures;
    private readonly Counter<long> _takeovers;

    public RelayMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _relayed = meter.CreateCounter<long>("scapi.relay.events", description: "Object-change events relayed, by kind.");
        _relists = meter.CreateCounter<long>("scapi.relay.relists", description: "Full lists (first start or 410 Gone), by kind.");
        _watchFailures = meter.CreateCounter<long>("scapi.relay.watch.failures", description: "Watch requests that failed, by kind.");
        _takeovers = meter.CreateCounter<long>("scapi.relay.activations", description: "Times this instance became the active relay.");
    }

    public void Relayed(string kind, int count) => _relayed.Add(count, new KeyValuePair<string, object?>("kind", kind));
    public void Relisted(string kind) => _relists.Add(1, new KeyValuePair<string, object?>("kind", kind));
    public void WatchFailed(string kind) => _watchFailures.Add(1, new KeyValuePair<string, object?>("kind", kind));
    public void Activated() => _takeovers.Add(1);
}
