using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.Kinds;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Hosting;

namespace ServerlessCapi.Functions.Dashboard;

/// <summary>Reads what the dashboard shows from the management cluster and the task hub: the fleet, and one cluster's
/// tree with each object's entity state. The tree is arranged by the admin API's <see cref="ClusterTree"/>, and
/// referenced objects are read as the admin API reads them (<see cref="ExternalObjects.GetReferencedAsync"/>).</summary>
public sealed class DashboardReader(KubeApi kube, ObjectWorkflowClient workflows)
{
    /// <summary>Parallel reads (Machine parts, entity states): enough to hide latency, gentle on the API server and storage.</summary>
    private const int Reads = 8;

    public async Task<IReadOnlyList<FleetCluster>> FleetAsync(CancellationToken ct)
    {
        CapiResources.Register();
        var clusters = await kube.ListJsonAsync(CapiResources.For(CapiGroups.Core, Api.Cluster.KubeKind), null, null, ct);
        var machines = (await kube.ListJsonAsync(CapiResources.For(CapiGroups.Core, Api.Machine.KubeKind), null, null, ct))
            .Select(ObjectView.From).ToList();
        return clusters.Select(ObjectView.From)
            .OrderBy(c => c.Namespace, StringComparer.Ordinal).ThenBy(c => c.Name, StringComparer.Ordinal)
            .Select(c => new FleetCluster(c, machines
                .Where(m => m.Namespace == c.Namespace && m.Label(CapiLabels.ClusterName) == c.Name)
                .GroupBy(m => m.Phase ?? MachinePhase.Pending)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal)))
            .ToList();
    }

    /// <summary>One cluster; null when it does not exist.</summary>
    public async Task<ClusterDetail?> ClusterAsync(string ns, string name, CancellationToken ct)
    {
        CapiResources.Register();
        var cluster = await kube.GetAsync(ns, new ContractVersionedObjectReference { ApiGroup = CapiGroups.Core, Kind = Api.Cluster.KubeKind, Name = name }, ct);
        if (cluster is null) return null;
        var raw = new Dictionary<ObjectView, JsonObject>(ReferenceEqualityComparer.Instance);
        ObjectView? View(JsonObject? obj, JsonNode? reference = null)
        {
            if (obj is null) return null;
            obj["kind"] ??= ExternalObjects.Text(reference, "kind");
            var view = ObjectView.From(obj);
            raw[view] = obj;
            return view;
        }
        var infra = View(await kube.GetReferencedAsync(ns, cluster["spec"]?["infrastructureRef"], ct), cluster["spec"]?["infrastructureRef"]);
        var controlPlane = View(await kube.GetReferencedAsync(ns, cluster["spec"]?["controlPlaneRef"], ct), cluster["spec"]?["controlPlaneRef"]);
        var selector = $"{CapiLabels.ClusterName}={name}";
        async Task<List<ObjectView>> List(string kind) =>
            (await kube.ListJsonAsync(CapiResources.For(CapiGroups.Core, kind), ns, selector, ct)).Select(o => View(o)!).ToList();
        var deployments = await List(MachineDeployment.KubeKind);
        var sets = await List(MachineSet.KubeKind);
        var machines = await List(Api.Machine.KubeKind);
        var clusterView = View(cluster)!;

        // Each Machine's infrastructure machine and bootstrap config, shown below it as clusterctl's --echo shows them.
        var parts = new ConcurrentDictionary<string, IReadOnlyList<JsonObject>>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(machines, new ParallelOptions { MaxDegreeOfParallelism = Reads, CancellationToken = ct }, async (m, token) =>
        {
            var spec = raw[m]["spec"];
            var found = new List<JsonObject>();
            foreach (var reference in new[] { spec?["infrastructureRef"], spec?["bootstrap"]?["configRef"] })
            {
                if (await kube.GetReferencedAsync(ns, reference, token) is { } part)
                {
                    part["kind"] ??= ExternalObjects.Text(reference, "kind");
                    found.Add(part);
                }
            }
            parts[m.Name] = found;
        });
        var partViews = parts.ToDictionary(p => p.Key, p => p.Value.Select(o => View(o)!).ToList(), StringComparer.Ordinal);

        var states = new ConcurrentDictionary<string, ReconcileState>(StringComparer.Ordinal);
        var reconciled = raw.Keys.Where(o => o.Uid is not null && ReconciledKinds.IsReconciled(o.Kind)).ToList();
        await Parallel.ForEachAsync(reconciled, new ParallelOptions { MaxDegreeOfParallelism = Reads, CancellationToken = ct }, async (o, token) =>
        {
            var key = ReconcileStep.ToDurable(new ObjectKey(o.Kind, o.Namespace, o.Name, o.Uid!));
            if (await workflows.GetStateAsync(key, token) is { } state) states[o.Uid!] = state;
        });

        var tree = ClusterTree.Build(clusterView, infra, controlPlane, deployments, sets, machines, showMachineSets: true);
        ClusterRow Row(TreeNode node)
        {
            var o = node.Object;
            var children = node.Children.Select(Row).ToList();
            if (o is { Kind: Api.Machine.KubeKind } && partViews.TryGetValue(o.Name, out var own))
                children.AddRange(own.Select(p => new ClusterRow($"{p.Kind}/{p.Name}", p, ObjectFacts.From(raw[p]), StateOf(p), [])));
            return new ClusterRow(node.Label, o, o is null ? null : ObjectFacts.From(raw[o]), o is null ? null : StateOf(o), children);
        }
        ReconcileState? StateOf(ObjectView o) => o.Uid is not null && states.TryGetValue(o.Uid, out var s) ? s : null;

        var root = Row(tree);
        return new ClusterDetail(root, Flatten(root).Where(r => r.Object is { Kind: Api.Machine.KubeKind }).ToList());
    }

    private static IEnumerable<ClusterRow> Flatten(ClusterRow row) => row.Children.SelectMany(Flatten).Prepend(row);
}
