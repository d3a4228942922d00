using System.Text.Json.Nodes;
using k8s;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Topology;

/// <summary>Builds and keeps in sync the parts of a Cluster with a managed topology from its ClusterClass: the
/// infrastructure cluster, the control plane (with its machine infrastructure template), the MachineDeployments
/// (with their bootstrap and infrastructure templates) and the MachineHealthChecks, in CAPI's upgrade order, and
/// reports it in the Cluster's TopologyReconciled condition.</summary>
/// <remarks>Runs as the first phase of the Cluster's reconcile. It sets <c>spec.infrastructureRef</c> and
/// <c>spec.controlPlaneRef</c> on the Cluster in memory; the Cluster reconcile writes them back. Templates are
/// immutable: a change makes a new one (new name), the user points at it, then the old one goes.</remarks>
public sealed partial class ClusterTopologyReconciler(KubeApi kube, ITopologyPatchEngine patches, IClusterClassVariables variables,
    ILogger<ClusterTopologyReconciler> logger)
{
    /// <summary>How often a topology in the middle of an upgrade looks again (its parts' rollouts do not all wake it).</summary>
    private static readonly TimeSpan UpgradePoll = TimeSpan.FromSeconds(2);

    public async Task<ReconcileResult> ReconcileAsync(Api.Cluster cluster, DateTimeOffset now, CancellationToken ct)
    {
        if (cluster.Spec.Topology is null) return ReconcileResult.Done();
        var generation = cluster.Metadata.Generation;
        if (cluster.Metadata.DeletionTimestamp is not null)
        {
            Conditions.Set(cluster.Status, TopologyConditions.TopologyReconciled, ConditionStatus.False, TopologyReasons.Deleting,
                "Cluster is deleting", generation, now.UtcDateTime);
            return ReconcileResult.Done();
        }
        try
        {
            var (status, reason, message, result) = await ReconcileTopologyAsync(cluster, ct);
            Conditions.Set(cluster.Status, TopologyConditions.TopologyReconciled, status, reason, message, generation, now.UtcDateTime);
            return result;
        }
        catch (TopologyException e)
        {
            Conditions.Set(cluster.Status, TopologyConditions.TopologyReconciled, ConditionStatus.False, e.Reason, e.Message, generation, now.UtcDateTime);
            LogTopologyFailed(logger, cluster.Metadata.NamespaceProperty, cluster.Metadata.Name, e.Message);
            return ReconcileResult.Requeue(TimeSpan.FromSeconds(10), e.Message);
        }
        catch (KubeApiException e)
        {
            Conditions.Set(cluster.Status, TopologyConditions.TopologyReconciled, ConditionStatus.False, TopologyReasons.ReconcileFailed, e.Message, generation, now.UtcDateTime);
            throw;
        }
    }

    private async Task<(string Status, string Reason, string Message, ReconcileResult Result)> ReconcileTopologyAsync(Api.Cluster cluster, CancellationToken ct)
    {
        var topology = cluster.Spec.Topology!;
        var classNs = topology.ClassRef.Namespace ?? cluster.Metadata.NamespaceProperty;
        var clusterClass = await kube.GetAsync<ClusterClass>(classNs, topology.ClassRef.Name, ct)
            ?? throw new TopologyException(TopologyReasons.ReconcileFailed, $"ClusterClass {classNs}/{topology.ClassRef.Name} not found");
        if (clusterClass.Status.ObservedGeneration != clusterClass.Metadata.Generation)
        {
            return (ConditionStatus.False, TopologyReasons.ClusterClassNotReconciled,
                "ClusterClass not reconciled. If this condition persists please check ClusterClass status. A ClusterClass is reconciled if .status.observedGeneration == .metadata.generation is true",
                ReconcileResult.Requeue(UpgradePoll));
        }

        // Defaults for variables are computed on a copy: the Cluster keeps what its owner wrote.
        var withDefaults = KubernetesJson.Deserialize<Api.Cluster>(KubernetesJson.Serialize(cluster));
        var errors = variables.ValidateAndDefault(withDefaults, clusterClass.Status.Variables ?? []);
        if (errors.Count > 0)
            throw new TopologyException(TopologyReasons.ReconcileFailed, "invalid variables: " + string.Join("; ", errors));

        var s = new TopologyScope(cluster, clusterClass);
        await ReadBlueprintAsync(s, ct);
        await ReadCurrentAsync(s, ct);
        UpgradeSequence.Decide(s);

        var desired = BuildDesired(s);
        var patched = await patches.ApplyAsync(clusterClass, withDefaults, desired, ct);
        if (patched.Error is { } error)
            throw new TopologyException(TopologyReasons.ReconcileFailed, $"failed to apply patches: {error}");
        desired = patched.Patched!;

        var creating = s.CurrentControlPlane is null || s.CurrentInfrastructure is null;
        await ReconcileInfrastructureClusterAsync(s, desired.InfrastructureCluster, ct);
        await ReconcileControlPlaneAsync(s, desired, ct);
        await ReconcileMachineDeploymentsAsync(s, desired, ct);
        await ReconcileHealthChecksAsync(s, ct);

        if (creating)
            return (ConditionStatus.False, TopologyReasons.ClusterCreating, "Cluster topology is being created", ReconcileResult.Requeue(UpgradePoll));
        if (s.IsUpgrading)
        {
            var (reason, message) = UpgradeMessage(s);
            return (ConditionStatus.False, reason, message, ReconcileResult.Requeue(UpgradePoll));
        }
        return (ConditionStatus.True, TopologyReasons.ReconcileSucceeded, "", ReconcileResult.Done());
    }

    private static (string Reason, string Message) UpgradeMessage(TopologyScope s)
    {
        var lines = new List<string> { $"Cluster is upgrading to {s.Topology.Version}" };
        var cpKind = TemplateCloning.Text(s.CurrentControlPlane, "kind");
        if (s.ControlPlaneUpgrading) lines.Add($"  * {cpKind} upgrading to version {s.ControlPlaneVersion}");
        if (s.ControlPlanePendingUpgrade) lines.Add($"  * {cpKind} pending upgrade to version {s.Topology.Version}");
        if (s.UpgradingMachineDeployments.Count > 0) lines.Add($"  * {Names("MachineDeployment", s.UpgradingMachineDeployments)} upgrading to version {s.Topology.Version}");
        if (s.PendingUpgradeMachineDeployments.Count > 0) lines.Add($"  * {Names("MachineDeployment", s.PendingUpgradeMachineDeployments)} pending upgrade to version {s.Topology.Version}");
        if (s.DeferredMachineDeployments.Count > 0)
            lines.Add($"  * {Names("MachineDeployment", s.DeferredMachineDeployments)} upgrade to version {s.Topology.Version} deferred using defer-upgrade or hold-upgrade-sequence annotations");
        if (s.PendingCreateMachineDeployments.Count > 0)
            lines.Add($"  * {Names("MachineDeployment", s.PendingCreateMachineDeployments)} creation deferred while control plane upgrade is in progress");
        var onlyDeferred = s.DeferredMachineDeployments.Count > 0 && !s.ControlPlaneUpgrading && !s.ControlPlanePendingUpgrade
            && s.UpgradingMachineDeployments.Count == 0 && s.PendingUpgradeMachineDeployments.Count == 0;
        return (onlyDeferred ? TopologyReasons.MachineDeploymentsUpgradeDeferred : TopologyReasons.ClusterUpgrading, string.Join('\n', lines));
    }

    private static string Names(string kind, List<string> names) =>
        $"{kind}{(names.Count > 1 ? "s" : "")} {string.Join(", ", names.Order(StringComparer.Ordinal))}";

    private async Task ReadBlueprintAsync(TopologyScope s, CancellationToken ct)
    {
        var spec = s.Class.Spec;
        var ns = s.Class.Metadata.NamespaceProperty;
        s.InfrastructureTemplate = await TemplateAsync(ns, spec.Infrastructure.TemplateRef, "spec.infrastructure.templateRef", ct);
        s.ControlPlaneTemplate = await TemplateAsync(ns, spec.ControlPlane.TemplateRef, "spec.controlPlane.templateRef", ct);
        if (spec.ControlPlane.MachineInfrastructure is { } mi)
            s.ControlPlaneMachineTemplate = await TemplateAsync(ns, mi.TemplateRef, "spec.controlPlane.machineInfrastructure.templateRef", ct);
        foreach (var md in s.Topology.Workers?.MachineDeployments ?? [])
        {
            if (s.ClassTemplates.ContainsKey(md.Class)) continue;
            var mdClass = s.MachineDeploymentClass(md.Class)
                ?? throw new TopologyException(TopologyReasons.ReconcileFailed, $"MachineDeployment class {md.Class} not found in ClusterClass {s.Class.Metadata.Name}");
            s.ClassTemplates[md.Class] = (
                await TemplateAsync(ns, mdClass.Bootstrap.TemplateRef, $"MachineDeployment class {md.Class} bootstrap", ct),
                await TemplateAsync(ns, mdClass.Infrastructure.TemplateRef, $"MachineDeployment class {md.Class} infrastructure", ct));
        }
    }

    private async Task<JsonObject> TemplateAsync(string ns, ClusterClassTemplateReference reference, string what, CancellationToken ct) =>
        await kube.GetAsync(ns, new ContractVersionedObjectReference { ApiGroup = reference.Group, Kind = reference.Kind, Name = reference.Name }, ct)
        ?? throw new TopologyException(TopologyReasons.ReconcileFailed, $"{what}: {reference.Kind} {ns}/{reference.Name} not found");

    private async Task ReadCurrentAsync(TopologyScope s, CancellationToken ct)
    {
        if (s.Cluster.Spec.InfrastructureRef is { IsDefined: true } infraRef)
            s.CurrentInfrastructure = await kube.GetAsync(s.Namespace, infraRef, ct);
        if (s.Cluster.Spec.ControlPlaneRef is { IsDefined: true } cpRef)
            s.CurrentControlPlane = await kube.GetAsync(s.Namespace, cpRef, ct);
        var selector = $"{CapiLabels.ClusterName}={s.ClusterName}";
        foreach (var md in await kube.ListAsync<MachineDeployment>(s.Namespace, $"{selector},{TopologyMetadata.OwnedLabel}", ct: ct))
        {
            if (TemplateCloning.ValueOf(md.Metadata.Labels, TopologyMetadata.DeploymentNameLabel) is { } name)
                s.CurrentMachineDeployments[name] = md;
        }
        s.Machines = await kube.ListAsync<Api.Machine>(s.Namespace, selector, ct: ct);
        s.MachineSets = await kube.ListAsync<MachineSet>(s.Namespace, selector, ct: ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Topology of Cluster {Namespace}/{Name} not reconciled: {Reason}")]
    private static partial void LogTopologyFailed(ILogger logger, string @namespace, string name, string reason);
}

/// <summary>A topology that cannot be reconciled as it stands (missing class or template, bad patch or variable): the
/// TopologyReconciled condition says why and the Cluster looks again later.</summary>
public sealed class TopologyException(string reason, string message) : Exception(message)
{
    public string Reason { get; } = reason;
}
