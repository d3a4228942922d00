using System.Diagnostics;
using Azure.Messaging;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Telemetry;
using ServerlessCapi.Workflows.Reconcile;
using ObjectKey = ServerlessCapi.Reconcilers.Framework.ObjectKey;

namespace ServerlessCapi.Functions.Dispatch;

/// <summary>Queue-triggered on <c>capi-events</c>: for each object change in the message (one event or a CloudEvents
/// batch) signals the changed object's durable entity (created by its first signal) and the entities the routing table
/// says the change concerns, each once per message. The lookups the routes need run concurrently, each distinct one
/// once per message.</summary>
/// <remarks>Thin on purpose: parse, route, signal. Every signal only says "look again" (reconciles are level-triggered
/// and signals that queue up while one runs coalesce into one more run), so a redelivered message costs at most a
/// reconcile per object; a failure throws and the queue retries the whole message, then dead-letters it. A change the
/// object's own reconcile wrote in this process does not wake it again (<see cref="OwnWrites"/>).</remarks>
/// <para>Each CloudEvent gets a <c>dispatch</c> span continuing the trace its <c>traceparent</c> names (the relay's
/// publish), and each signal a child of the first event that asked for it, whose context the signal carries on.</para>
public sealed class DispatchObjectEvent(
    IObjectSignals workflows, EventRoutes routes, IObjectLookup lookup, OwnWrites ownWrites, DispatchMetrics metrics, TimeProvider time,
    ILogger<DispatchObjectEvent> log, ProductMetrics? productMetrics = null) : IQueueFunction<string>
{
    /// <summary>Lookups of one message in flight at once at most.</summary>
    public const int LookupConcurrency = 8;

    public async Task RunAsync(string message, QueueMessageInfo info, CancellationToken ct)
    {
        var cloudEvents = ObjectEvents.ParseAll(message);
        var spans = DispatchSpans.Start(cloudEvents, info.QueueName);
        try
        {
            await DispatchAsync(cloudEvents, spans, ct);
            DispatchSpans.End(spans, null);
            productMetrics?.Processed(info.QueueName, succeeded: true);
        }
        catch (Exception e)
        {
            DispatchSpans.End(spans, e);
            productMetrics?.Processed(info.QueueName, succeeded: false);
            throw;
        }
    }

    private async Task DispatchAsync(IReadOnlyList<CloudEvent> cloudEvents, IReadOnlyList<Activity?> spans, CancellationToken ct)
    {
        var events = cloudEvents.Select(e => (Event: e, Change: ObjectEvents.DataOf(e))).ToList();
        foreach (var (cloudEvent, change) in events)
        {
            if (cloudEvent.Time is { } emitted) metrics.Latency(change.Kind, time.GetUtcNow() - emitted);
            lookup.Observe(change);
        }

        // The lookups a message needs (selector lists, uids by name) are independent of each other: they run
        // concurrently, each distinct one once. One after another, a message of 32 changes waited on dozens of API
        // round trips, and in a busy fleet the dispatcher fell minutes behind the relay.
        var routed = events.Select(e => routes.TargetsFor(e.Change)).ToList();
        var matches = new System.Collections.Concurrent.ConcurrentDictionary<RouteTarget, IReadOnlyList<(string Name, string Uid)>>();
        await Parallel.ForEachAsync(routed.SelectMany(t => t).Where(t => t.Selector is not null).Distinct(), Limit(ct), async (target, token) =>
            matches[target] = await lookup.MatchingAsync(target, token));
        var expanded = routed
            .Select(targets => targets
                .SelectMany(t => t.Selector is null ? [t] : matches[t].Select(m => t with { Name = m.Name, Uid = m.Uid, Selector = null }))
                .ToList())
            .ToList();
        var uids = new System.Collections.Concurrent.ConcurrentDictionary<RouteTarget, string?>();
        await Parallel.ForEachAsync(expanded.SelectMany(t => t).Distinct(), Limit(ct), async (target, token) =>
            uids[target] = await lookup.UidAsync(target, token));

        var signals = new List<(ObjectKey Key, int Event)>();
        for (var i = 0; i < events.Count; i++)
        {
            var from = signals.Count;
            Route(events[i].Change, expanded[i], uids, signals);
            for (var j = from; j < signals.Count; j++) signals[j] = signals[j] with { Event = i };
        }

        // One signal per object is enough when one message holds several changes of it. Signals go out under the span
        // of the first event that asked for them (untraced, that is one call for the whole message).
        var groups = signals.DistinctBy(s => s.Key.InstanceId, StringComparer.Ordinal)
            .GroupBy(s => spans[s.Event] is null ? -1 : s.Event, s => ReconcileStep.ToDurable(s.Key))
            .ToList();
        await Parallel.ForEachAsync(groups, Limit(ct), async (group, token) =>
        {
            Activity.Current = group.Key < 0 ? Activity.Current : spans[group.Key];
            await workflows.SignalChangedAsync([.. group], token);
        });
    }

    private static ParallelOptions Limit(CancellationToken ct) => new() { MaxDegreeOfParallelism = LookupConcurrency, CancellationToken = ct };

    private void Route(ObjectEventData change, List<RouteTarget> targets,
        System.Collections.Concurrent.ConcurrentDictionary<RouteTarget, string?> uids, List<(ObjectKey Key, int Event)> signals)
    {
        if (!change.Deleted && ownWrites.IsOwnEcho(change.Uid, change.ResourceVersion))
        {
            // The object's own workflow wrote this version in this process, knowing everything in it.
            metrics.Signalled(change.Kind, "own-write-skipped");
        }
        else if (routes.WorkflowFor(change.Kind) is not null)
        {
            // A gone object's entity hears about it too: its reconcile finds the object gone and deletes the entity.
            signals.Add((new ObjectKey(change.Kind, change.Namespace, change.Name, change.Uid), 0));
            metrics.Signalled(change.Kind, "self");
        }

        foreach (var target in targets)
        {
            var uid = uids.GetValueOrDefault(target);
            var targetWorkflow = routes.WorkflowFor(target.Kind);
            if (uid is null || targetWorkflow is null)
            {
                log.LogDebug("{Kind} {Namespace}/{Name} is gone or not reconciled; not waking it", target.Kind, target.Namespace, target.Name);
                continue;
            }
            signals.Add((new ObjectKey(target.Kind, target.Namespace, target.Name, uid), 0));
            metrics.Signalled(target.Kind, "route");
        }
    }
}
