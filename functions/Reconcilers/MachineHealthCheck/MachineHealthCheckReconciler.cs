using k8s.Models;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.MachineSets;
using ServerlessCapi.Reconcilers.Workload;

namespace ServerlessCapi.Reconcilers.MachineHealthChecks;

/// <summary>Settings of the MachineHealthCheck reconciler.</summary>
public sealed class MachineHealthCheckOptions
{
    /// <summary>The shortest time between two looks at the Nodes while Machines are checked. Node changes in a
    /// workload cluster send no event to the management cluster, so this poll (with the timers at the next timeout
    /// and the Machine events) is how a Node going bad is noticed.</summary>
    public TimeSpan NodePollInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest time between two looks (how late a deleted Node is noticed at worst).</summary>
    public TimeSpan MaxNodePollInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often a check looks at its Nodes: a quarter of its shortest Node condition timeout, within
    /// [<see cref="NodePollInterval"/>, <see cref="MaxNodePollInterval"/>]. A bad condition is then seen well before
    /// its timeout runs out, and the step that sees it sets a timer at the exact expiry, so remediation is as timely as
    /// with a Node watch; only a Node deleted outright waits for the next look. (Polling every 30 s whatever the
    /// timeouts, a thousand checks took a third of the engine's steps.)</summary>
    public TimeSpan NodePollFor(MachineHealthCheckChecks? checks)
    {
        var poll = checks?.UnhealthyNodeConditions is { Count: > 0 } conditions
            ? TimeSpan.FromSeconds(conditions.Min(c => c.TimeoutSeconds)) / 4
            : MaxNodePollInterval;
        if (poll > MaxNodePollInterval) poll = MaxNodePollInterval;
        return poll < NodePollInterval ? NodePollInterval : poll;
    }
}

/// <summary>The MachineHealthCheck reconciler: checks the selected Machines and their Nodes and marks the
/// unhealthy ones for remediation by their owner (CAPI's machinehealthcheck controller).</summary>
/// <remarks>
/// A step lists the targets (selected Machines of the cluster, except paused ones and those annotated
/// <c>cluster.x-k8s.io/skip-remediation</c>), reads their Nodes through the cluster's kubeconfig Secret
/// (<see cref="WorkloadClusters"/>), evaluates each with <see cref="HealthEvaluator"/>, decides with
/// <see cref="RemediationGate"/> whether remediation may happen, and patches HealthCheckSucceeded and
/// OwnerRemediated on the Machines (a MachineSet then deletes and replaces them). It wakes on Machine changes
/// of its cluster, on a durable timer at the next moment a timeout can expire, and on a Node poll.
/// </remarks>
public sealed class MachineHealthCheckReconciler(KubeApi kube, WorkloadClusters workloads, ILogger<MachineHealthCheckReconciler> logger,
    MachineHealthCheckOptions? options = null, EventRecorder? events = null)
    : ObjectReconciler<MachineHealthCheck>(kube, logger, events)
{
    private static readonly TimeSpan ConflictRetry = TimeSpan.FromSeconds(1);
    private readonly MachineHealthCheckOptions _options = options ?? new MachineHealthCheckOptions();

    /// <summary>CAPI's Event reasons: a Machine marked unhealthy, and remediation held back by the check's limits.</summary>
    public const string MachineMarkedUnhealthyReason = "MachineMarkedUnhealthy";
    public const string RemediationRestrictedReason = "RemediationRestricted";

    protected override async Task<ReconcileResult> ReconcileAsync(MachineHealthCheck mhc, ReconcileContext context, CancellationToken ct)
    {
        var now = context.Now.UtcDateTime;
        var ns = mhc.Metadata.NamespaceProperty;
        CapiDefaults.Default(mhc);
        if (mhc.Metadata.DeletionTimestamp is not null) return ReconcileResult.Done();
        var cluster = await Kube.GetAsync<Api.Cluster>(ns, mhc.Spec.ClusterName, ct);
        if (cluster is null)
        {
            Logger.LogInformation("MachineHealthCheck {Namespace}/{Name} waits for Cluster {Cluster}", ns, mhc.Metadata.Name, mhc.Spec.ClusterName);
            return ReconcileResult.Requeue(Backoff.Short(Backoff.Utc(mhc.Metadata.CreationTimestamp), context.Now), "waiting for cluster");
        }
        OwnerReferences.Ensure(mhc.Metadata, OwnerReferences.For(CapiGroups.CoreApiVersion, Api.Cluster.KubeKind, cluster.Metadata, controller: false));

        var clusterFacts = ClusterHealthFacts.Of(cluster);
        var machines = await TargetsAsync(mhc, ct);
        var targets = await WithNodesAsync(mhc, cluster, clusterFacts, machines, ct);
        var verdicts = targets.Select(t => HealthEvaluator.Evaluate(t, mhc.Spec.Checks!, clusterFacts, now)).ToList();

        var status = mhc.Status;
        status.ExpectedMachines = verdicts.Count;
        status.Targets = verdicts.Select(v => v.Machine.Metadata.Name).OrderBy(n => n, StringComparer.Ordinal).ToList();
        status.CurrentHealthy = verdicts.Count(v => v.State == HealthState.Healthy);
        var decision = RemediationGate.Decide(mhc.Spec.Remediation?.TriggerIf, verdicts.Count, status.CurrentHealthy.Value);
        status.RemediationsAllowed = decision.RemediationsAllowed;
        Conditions.Set(status, MachineHealthCheckConditions.RemediationAllowed, ConditionStatus.Of(decision.Allowed),
            decision.Allowed ? MachineHealthCheckReasons.RemediationAllowed : MachineHealthCheckReasons.TooManyUnhealthy,
            decision.Message, mhc.Metadata.Generation, now);
        if (!decision.Allowed && verdicts.Any(v => v.State == HealthState.Unhealthy))
        {
            Logger.LogWarning("MachineHealthCheck {Namespace}/{Name}: {Message}", ns, mhc.Metadata.Name, decision.Message);
            // Only with unhealthy targets, as CAPI does, so the Event does not mislead.
            await WarningEventAsync(mhc, RemediationRestrictedReason, "Remediate", decision.Message ?? "", ct);
        }

        var conflicts = false;
        foreach (var verdict in verdicts)
        {
            var changes = MachineMarks.For(verdict, decision.Allowed);
            if (changes.Count == 0) continue;
            var written = await MachineConditionPatch.ApplyAsync(Kube, verdict.Machine, changes, [], now, ct);
            if (written is null)
            {
                conflicts = true;
                continue;
            }
            if (verdict.State == HealthState.Unhealthy && !ReferenceEquals(written, verdict.Machine))
            {
                Logger.LogInformation("Machine {Namespace}/{Machine} has been marked as unhealthy by MachineHealthCheck {Check}: {Reason}",
                    ns, verdict.Machine.Metadata.Name, mhc.Metadata.Name, verdict.Reason);
                await NormalEventAsync(written, MachineMarkedUnhealthyReason, "MarkUnhealthy",
                    $"Machine {ns}/{verdict.Machine.Metadata.Name} has been marked as unhealthy by {ns}/{mhc.Metadata.Name}", ct);
            }
        }
        status.ObservedGeneration = mhc.Metadata.Generation;

        var result = ReconcileResult.Done($"{status.CurrentHealthy}/{status.ExpectedMachines} healthy");
        if (conflicts) result = result.Merge(ReconcileResult.Requeue(ConflictRetry));
        if (verdicts.Where(v => v.NextCheck is not null).Select(v => v.NextCheck!.Value).DefaultIfEmpty(DateTime.MaxValue).Min() is var next && next != DateTime.MaxValue)
            result = result.Merge(ReconcileResult.Requeue(next > now ? next - now : TimeSpan.Zero));
        if (verdicts.Count > 0) result = result.Merge(ReconcileResult.Requeue(_options.NodePollFor(mhc.Spec.Checks)));
        return result;
    }

    /// <summary>The Machines the check selects in its cluster, minus paused ones and those that opted out.</summary>
    private async Task<List<Api.Machine>> TargetsAsync(MachineHealthCheck mhc, CancellationToken ct)
    {
        var selector = mhc.Spec.Selector;
        var serverSelector = string.Join(",", (selector.MatchLabels ?? [])
            .Where(p => p.Key != CapiLabels.ClusterName)
            .Append(new KeyValuePair<string, string>(CapiLabels.ClusterName, mhc.Spec.ClusterName))
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => $"{p.Key}={p.Value}"));
        var machines = await Kube.ListAsync<Api.Machine>(mhc.Metadata.NamespaceProperty, serverSelector, ct: ct);
        return machines
            .Where(m => selector.Matches(m.Metadata.Labels?.AsReadOnly()))
            .Where(m => !MachineFacts.HasAnnotation(m.Metadata, CapiAnnotations.Paused) && !MachineFacts.HasAnnotation(m.Metadata, CapiAnnotations.SkipRemediation))
            .ToList();
    }

    /// <summary>Pairs each Machine with its Node, read in one list call from the workload cluster.</summary>
    private async Task<List<HealthTarget>> WithNodesAsync(MachineHealthCheck mhc, Api.Cluster cluster, ClusterHealthFacts facts, List<Api.Machine> machines, CancellationToken ct)
    {
        Dictionary<string, V1Node>? nodes = null;
        if (facts.ControlPlaneInitialized && machines.Any(m => m.Status.NodeRef is { Name.Length: > 0 }))
        {
            try
            {
                if (await workloads.GetAsync(cluster.Metadata.NamespaceProperty, cluster.Metadata.Name, ct) is { } api)
                    nodes = (await api.ListAsync<V1Node>(null, ct: ct)).ToDictionary(n => n.Metadata.Name, StringComparer.Ordinal);
            }
            catch (Exception e) when (e is KubeApiException or HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                Logger.LogInformation("MachineHealthCheck {Namespace}/{Name} cannot read Nodes of Cluster {Cluster} ({Error})",
                    mhc.Metadata.NamespaceProperty, mhc.Metadata.Name, cluster.Metadata.Name, e.GetType().Name);
            }
        }
        return machines.Select(m =>
        {
            if (m.Status.NodeRef is not { Name.Length: > 0 } nodeRef) return new HealthTarget(m, null);
            if (nodes is null) return new HealthTarget(m, null, NodeUnobservable: true);
            return nodes.TryGetValue(nodeRef.Name, out var node) ? new HealthTarget(m, node) : new HealthTarget(m, null, NodeMissing: true);
        }).ToList();
    }
}

/// <summary>The conditions a verdict puts on a Machine (pure).</summary>
public static class MachineMarks
{
    public static List<Condition> For(HealthVerdict verdict, bool remediationAllowed)
    {
        var m = verdict.Machine;
        var marks = new List<Condition>();
        switch (verdict.State)
        {
            case HealthState.Healthy:
                marks.Add(new Condition { Type = MachineConditions.HealthCheckSucceeded, Status = ConditionStatus.True, Reason = MachineReasons.HealthCheckSucceeded });
                break;
            case HealthState.Unhealthy:
                marks.Add(new Condition
                {
                    Type = MachineConditions.HealthCheckSucceeded,
                    Status = ConditionStatus.False,
                    Reason = verdict.Reason!,
                    Message = verdict.Message ?? "",
                });
                // Ask the owner to remediate once; its own reasons (deleting, deferred) are not overwritten.
                var owner = Conditions.Get(m.Status.Conditions, MachineConditions.OwnerRemediated);
                if (remediationAllowed && m.Metadata.DeletionTimestamp is null && (owner is null || owner.Status == ConditionStatus.True))
                {
                    marks.Add(new Condition
                    {
                        Type = MachineConditions.OwnerRemediated,
                        Status = ConditionStatus.False,
                        Reason = MachineReasons.OwnerRemediatedWaitingForRemediation,
                        Message = "Waiting for remediation",
                    });
                }
                break;
        }
        return marks.Where(c => !Unchanged(m, c)).ToList();
    }

    private static bool Unchanged(Api.Machine m, Condition c) =>
        Conditions.Get(m.Status.Conditions, c.Type) is { } current && current.Status == c.Status && current.Reason == c.Reason && current.Message == c.Message;
}
