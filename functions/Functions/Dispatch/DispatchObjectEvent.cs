using Azure.Messaging;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Functions.Dispatch;

/// <summary>Queue-triggered on <c>capi-events</c>: for each object change in the message (one event or a CloudEvents
/// batch) wakes the changed object's workflow instance (starting it if needed) and the instances the routing table says
/// the change concerns, then sends all those signals at once (the engine bundles them per partition).</summary>
/// <remarks>Thin on purpose: parse, route, signal. Signal ids derive from the event id, so a redelivered message is a
/// no-op in the engine; a failure throws and the queue retries the whole message, then dead-letters it. A change the
/// object's own workflow wrote in this process does not wake that workflow again (<see cref="OwnWrites"/>). Every
/// signal only says "look again" (the workflows are level-triggered), so the engine may leave one out while another for
/// the same instance waits in its queue.</remarks>
public sealed class DispatchObjectEvent(
    IWorkflowClient workflows, EventRoutes routes, IObjectLookup lookup, OwnWrites ownWrites, DispatchMetrics metrics, TimeProvider time,
    ILogger<DispatchObjectEvent> log) : IQueueFunction<string>
{
    public async Task RunAsync(string message, QueueMessageInfo info, CancellationToken ct)
    {
        var signals = new List<EventRequest>();
        // Within one message, a target named by many events (their Cluster) is looked up once.
        var uids = new Dictionary<RouteTarget, string?>();
        foreach (var cloudEvent in ObjectEvents.ParseAll(message))
            await RouteAsync(cloudEvent, signals, uids, ct);

        // The newest signal per instance is enough when one message holds several changes of one object; ids stay
        // deterministic, so a redelivery dedups.
        var distinct = signals.GroupBy(s => s.InstanceId, StringComparer.Ordinal).Select(g => g.Last()).ToList();
        await workflows.RaiseEventsAsync(distinct, ct);
    }

    private async Task RouteAsync(CloudEvent cloudEvent, List<EventRequest> signals, Dictionary<RouteTarget, string?> uids, CancellationToken ct)
    {
        var change = ObjectEvents.DataOf(cloudEvent);
        if (cloudEvent.Time is { } emitted) metrics.Latency(change.Kind, time.GetUtcNow() - emitted);
        lookup.Observe(change);

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

        var targets = new List<RouteTarget>();
        foreach (var target in routes.TargetsFor(change))
        {
            if (target.Selector is null) targets.Add(target);
            else targets.AddRange((await lookup.MatchingAsync(target, ct)).Select(m => target with { Name = m.Name, Uid = m.Uid, Selector = null }));
        }
        foreach (var target in targets)
        {
            if (!uids.TryGetValue(target, out var uid)) uids[target] = uid = await lookup.UidAsync(target, ct);
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
