using Azure.Messaging;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Functions.Dispatch;

/// <summary>Queue-triggered on <c>capi-events</c>: for each object change in the message (one event or a CloudEvents
/// batch) wakes the changed object's workflow instance (starting it if needed) and the instances the routing table says
/// the change concerns, then sends all those signals at once (the engine bundles them per partition). The lookups the
/// routes need run concurrently, each distinct one once per message.</summary>
/// <remarks>Thin on purpose: parse, route, signal. Signal ids derive from the event id, so a redelivered message is a
/// no-op in the engine; a failure throws and the queue retries the whole message, then dead-letters it. A change the
/// object's own workflow wrote in this process does not wake that workflow again (<see cref="OwnWrites"/>). Every
/// signal only says "look again" (the workflows are level-triggered), so the engine may leave one out while another for
/// the same instance waits in its queue.</remarks>
public sealed class DispatchObjectEvent(
    IWorkflowClient workflows, EventRoutes routes, IObjectLookup lookup, OwnWrites ownWrites, DispatchMetrics metrics, TimeProvider time,
    ILogger<DispatchObjectEvent> log) : IQueueFunction<string>
{
    /// <summary>Lookups of one message in flight at once at most.</summary>
    public const int LookupConcurrency = 8;

    public async Task RunAsync(string message, QueueMessageInfo info, CancellationToken ct)
    {
        var events = ObjectEvents.ParseAll(message).Select(e => (Event: e, Change: ObjectEvents.DataOf(e))).ToList();
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

        var signals = new List<EventRequest>();
        for (var i = 0; i < events.Count; i++)
            Route(events[i].Event, events[i].Change, expanded[i], uids, signals);

        // The newest signal per instance is enough when one message holds several changes of one object; ids stay
        // deterministic, so a redelivery dedups.
        var distinct = signals.GroupBy(s => s.InstanceId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        await workflows.RaiseEventsAsync(distinct, ct);
    }

    private static ParallelOptions Limit(CancellationToken ct) => new() { MaxDegreeOfParallelism = LookupConcurrency, CancellationToken = ct };

    private void Route(CloudEvent cloudEvent, ObjectEventData change, List<RouteTarget> targets,
        System.Collections.Concurrent.ConcurrentDictionary<RouteTarget, string?> uids, List<EventRequest> signals)
    {
        if (!change.Deleted && ownWrites.IsOwnEcho(change.Uid, change.ResourceVersion))
        {
            // The object's own workflow wrote this version in this process, knowing everything in it.
            metrics.Signalled(change.Kind, "own-write-skipped");
        }
        else if (routes.WorkflowFor(change.Kind) is { } workflow)
        {
            var key = new ObjectKey(change.Kind, change.Namespace, change.Name, change.Uid);
            // A gone object's instance still hears about it (and completes), but nothing new starts for it.
            signals.Add(new EventRequest(key.InstanceId, ObjectKey.ChangedSignal, key.ToJson(), cloudEvent.Id, change.Deleted ? null : workflow, Coalesce: true));
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
            var key = new ObjectKey(target.Kind, target.Namespace, target.Name, uid);
            signals.Add(new EventRequest(key.InstanceId, ObjectKey.ChangedSignal, key.ToJson(), $"{cloudEvent.Id}>{key.InstanceId}", targetWorkflow, Coalesce: true));
            metrics.Signalled(target.Kind, "route");
        }
    }
}
