using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Telemetry;
using Durable = ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Reconcilers.Hosting;

/// <summary>The durable side's one reconcile entry point: finds the reconciler of the object's kind (resolved with its
/// dependencies from a fresh scope for every reconcile) and runs it through a <see cref="ReconcileStep"/>.</summary>
/// <param name="metrics">The product's instruments (<c>scapi.reconcile.*</c>), when the host has them; the older
/// <c>scapi_workflow_*</c> series stay as they were.</param>
public sealed class KindReconcile(IServiceScopeFactory scopes, ReconcilerTypes types, TimeProvider time, ProductMetrics? metrics = null)
    : Durable.IObjectReconcile
{
    private static readonly Meter Meter = new("ServerlessCapi.Workflows");
    private static readonly Counter<long> Steps = Meter.CreateCounter<long>("scapi_workflow_steps_total",
        description: "Reconciles run by the objects' durable entities, by outcome (done, requeue, terminal, gone, failed).");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("scapi_workflow_step_duration_seconds", "s",
        "How long one reconcile took.");

    public Task<Durable.ReconcileOutcome> ReconcileAsync(Durable.ObjectKey key, CancellationToken ct) =>
        ReconcileAsync(new Durable.ReconcileRequest(key, Scheduled: false, QuietPolls: 0), ct);

    public async Task<Durable.ReconcileOutcome> ReconcileAsync(Durable.ReconcileRequest request, CancellationToken ct)
    {
        var kind = new KeyValuePair<string, object?>("workflow", request.Key.Kind);
        if (!types.ByKind.TryGetValue(request.Key.Kind, out var type))
        {
            Steps.Add(1, kind, new KeyValuePair<string, object?>("outcome", "terminal"));
            metrics?.Reconciled(request.Key.Kind, "terminal", TimeSpan.Zero);
            return Durable.ReconcileOutcome.Terminal($"no reconciler for kind {request.Key.Kind}");
        }
        var started = Stopwatch.GetTimestamp();
        var outcome = "failed";
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var reconciler = (IObjectReconciler)scope.ServiceProvider.GetRequiredService(type);
            var result = await new ReconcileStep(reconciler).RunAsync(request, time.GetUtcNow(), ct);
            outcome = result switch
            {
                Durable.ReconcileOutcome.RequeueOutcome => "requeue",
                Durable.ReconcileOutcome.TerminalOutcome => "terminal",
                Durable.ReconcileOutcome.GoneOutcome => "gone",
                _ => "done",
            };
            return result;
        }
        finally
        {
            var elapsed = Stopwatch.GetElapsedTime(started);
            Steps.Add(1, kind, new KeyValuePair<string, object?>("outcome", outcome));
            Duration.Record(elapsed.TotalSeconds, kind);
            metrics?.Reconciled(request.Key.Kind, outcome, elapsed);
        }
    }
}

/// <summary>The reconciler type of each reconciled kind this process hosts. A reconciler names its kind itself, so the
/// table is read off one instance of each, once.</summary>
public sealed class ReconcilerTypes(IServiceScopeFactory scopes, IEnumerable<ReconcilerType> registered)
{
    private readonly Lazy<IReadOnlyDictionary<string, Type>> byKind = new(() =>
    {
        using var scope = scopes.CreateScope();
        var table = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var r in registered) table[((IObjectReconciler)scope.ServiceProvider.GetRequiredService(r.Type)).Kind] = r.Type;
        return table;
    });

    public IReadOnlyDictionary<string, Type> ByKind => byKind.Value;
}
