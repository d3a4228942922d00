using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Functions.Dispatch;

/// <summary>Queue-triggered on <c>capi-events</c>: wakes the changed object's workflow instance (starting it if
/// needed) and the instances the routing table says the change concerns.</summary>
/// <remarks>Thin on purpose: parse, route, signal. Message ids derive from the event id, so a redelivered
/// event is a no-op in the engine; a failure throws and the queue retries, then dead-letters.</remarks>
public sealed class DispatchObjectEvent(
    IWorkflowClient workflows, EventRoutes routes, IObjectLookup lookup, DispatchMetrics metrics, TimeProvider time,
    ILogger<DispatchObjectEvent> log) : IQueueFunction<string>
{
    public async Task RunAsync(string message, QueueMessageInfo info, CancellationToken ct)
    {
        var cloudEvent = ObjectEvents.Parse(message);
        var change = ObjectEvents.DataOf(cloudEvent);
        if (cloudEvent.Time is { } emitted) metrics.Latency(change.Kind, time.GetUtcNow() - emitted);

        if (routes.WorkflowFor(change.Kind) is { } workflow)
        {
            var key = new ObjectKey(change.Kind, change.Namespace, change.Name, change.Uid);
            // A gone object's instance still hears about it (and completes), but nothing new starts for it.
            await workflows.RaiseEventAsync(key.InstanceId, ObjectKey.ChangedSignal, key.ToJson(), cloudEvent.Id,
                change.Deleted ? null : workflow, ct);
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
            var uid = await lookup.UidAsync(target, ct);
            var targetWorkflow = routes.WorkflowFor(target.Kind);
            if (uid is null || targetWorkflow is null)
            {
                log.LogDebug("{Kind} {Namespace}/{Name} is gone or not reconciled; not waking it", target.Kind, target.Namespace, target.Name);
                continue;
            }
            var key = new ObjectKey(target.Kind, target.Namespace, target.Name, uid);
            await workflows.RaiseEventAsync(key.InstanceId, ObjectKey.ChangedSignal, key.ToJson(), $"{cloudEvent.Id}>{key.InstanceId}",
                targetWorkflow, ct);
            metrics.Signalled(target.Kind, "route");
        }
    }
}
