using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Admin;
using ServerlessCapi.Reconcilers.Clusters;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.Workload;
using ServerlessCapi.Testing;
using Durable = ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>Cluster and Machine workflows on the durable engine (Azurite) against the embedded API server, woken
/// by object changes through the wake rules; the test plays the providers and the kubelet.</summary>
public sealed class EndToEndTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private Harness _h = null!;
    private EngineWorld _world = null!;
    private KubeApi _workload = null!;

    public async Task InitializeAsync()
    {
        _h = await Harness.StartAsync();
        _world = await EngineWorld.StartAsync(_h);
    }

    public async Task DisposeAsync()
    {
        await _world.DisposeAsync();
        _workload?.Dispose();
        _h.Dispose();
    }

    /// <summary>A cluster on a provisioned DevCluster with one control plane and one worker Machine, all running.</summary>
    private async Task RunningClusterAsync()
    {
        await _h.Kube.CreateAsync(new Api.DevCluster
        {
            Metadata = new V1ObjectMeta { Name = "c1", NamespaceProperty = _h.Namespace },
            Spec = new DevClusterSpec
            {
                ControlPlaneEndpoint = new ApiEndpoint { Host = "127.0.0.1", Port = 6443 },
                Backend = new DevClusterBackendSpec { InMemory = new InMemoryClusterBackendSpec() },
            },
        });
        await _h.Kube.MergePatchAsync<Api.DevCluster>(_h.Namespace, "c1", new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["initialization"] = new JsonObject { ["provisioned"] = true },
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = "True",
                    ["reason"] = "Ready",
                    ["message"] = "",
                    ["lastTransitionTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
                }),
            },
        }, status: true);
        await _h.Kube.CreateAsync(new Api.Cluster
        {
            Metadata = new V1ObjectMeta { Name = "c1", NamespaceProperty = _h.Namespace },
            Spec = new ClusterSpec
            {
                InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = Api.DevCluster.KubeKind, Name = "c1" },
            },
        });
        _workload = await _h.CreateWorkloadClusterAsync("c1");
        foreach (var (name, cp) in new[] { ("cp1", true), ("w1", false) })
        {
            await _h.CreateMachineAsync(name, "c1", controlPlane: cp);
            await _h.MarkBootstrapReadyAsync(name);
            await _h.MarkInfrastructureAsync(name, provisioned: true);
            await Harness.CreateNodeAsync(_workload, name, _h.ProviderId(name));
        }
        await WaitForAsync(async () => Conditions.IsTrue((await ClusterAsync())?.Status.Conditions, ClusterConditions.Available), "Cluster c1 Available");
        await WaitForAsync(async () => (await _h.MachineAsync("w1"))?.Status.Phase == MachinePhase.Running, "w1 Running");
    }

    private Task<Api.Cluster?> ClusterAsync() => _h.Kube.GetAsync<Api.Cluster>(_h.Namespace, "c1");

    private Task WaitForAsync(Func<Task<bool>> condition, string what) =>
        WaitFor.ConditionAsync(condition, Timeout, $"{what} (dispatcher errors: {string.Join("; ", _world.Errors.TakeLast(3))})");

    [Fact]
    public async Task A_cluster_comes_up_and_the_admin_API_shows_its_tree_phases_and_workflow_timelines()
    {
        await RunningClusterAsync();

        var cluster = (await ClusterAsync())!;
        cluster.Status.Phase.ShouldBe(ClusterPhase.Provisioned);
        cluster.Metadata.Finalizers.ShouldContain(CapiFinalizers.Cluster);
        cluster.Spec.ControlPlaneEndpoint!.Port.ShouldBe(6443);
        Conditions.Get(cluster.Status, ClusterConditions.ControlPlaneInitialized)!.Status.ShouldBe("True");
        Conditions.Get(cluster.Status, ClusterConditions.RemoteConnectionProbe)!.Status.ShouldBe("True");
        Conditions.Get(cluster.Status, ClusterConditions.WorkerMachinesReady)!.Status.ShouldBe("True");
        cluster.Status.Workers!.AvailableReplicas.ShouldBe(1);
        (await _h.Kube.GetAsync<Api.DevCluster>(_h.Namespace, "c1"))!.Metadata.OwnerReferences
            .ShouldContain(o => o.Kind == "Cluster" && o.Uid == cluster.Metadata.Uid && o.Controller == true);
        (await _h.Kube.GetAsync<V1Secret>(_h.Namespace, WorkloadClusters.KubeconfigSecretName("c1")))!.Metadata.OwnerReferences
            .ShouldContain(o => o.Uid == cluster.Metadata.Uid);

        var list = await _world.Admin.ListClustersAsync(_h.Namespace, CancellationToken.None);
        list.StatusCode.ShouldBe(200);
        var entry = list.Body["clusters"]!.AsArray().Single()!;
        entry["name"]!.GetValue<string>().ShouldBe("c1");
        entry["phase"]!.GetValue<string>().ShouldBe("Provisioned");
        entry["machines"]!["Running"]!.GetValue<int>().ShouldBe(2);

        var tree = await _world.Admin.GetClusterAsync(_h.Namespace, "c1", CancellationToken.None);
        tree.StatusCode.ShouldBe(200);
        var root = tree.Body["tree"]!;
        root["label"]!.GetValue<string>().ShouldBe("Cluster/c1");
        root["workflow"]!["runtimeStatus"]!.GetValue<string>().ShouldBe("Running");
        var labels = root["children"]!.AsArray().Select(c => c!["label"]!.GetValue<string>()).ToList();
        labels.ShouldBe(["ClusterInfrastructure - DevCluster/c1", "ControlPlane", "Workers"]);
        var worker = root["children"]![2]!["children"]![0]!;
        worker["label"]!.GetValue<string>().ShouldBe("Machine/w1");
        worker["object"]!["phase"]!.GetValue<string>().ShouldBe("Running");
        worker["workflow"]!["timeline"]!.AsArray().Count.ShouldBeGreaterThan(0);
        // Conditions and phases only: nothing of the kubeconfig Secret or the API server's token.
        tree.Body.ToJsonString().ShouldNotContain(_h.Server.Token);

        var text = ClusterTreeRenderer.Render(ClusterTree.Build(
            ObjectView.From(root["object"]!.AsObject()), null, null, [], [], []), DateTimeOffset.UtcNow);
        text.ShouldStartWith("NAME");
    }

    [Fact]
    public async Task A_node_that_stops_being_ready_shows_on_its_machine_through_the_probe_timer_which_wakes_only_changed_clusters()
    {
        await RunningClusterAsync();
        var prober = new WorkloadProber(_h.Kube, _h.Workloads, _world.Client, NullLogger<WorkloadProber>.Instance) { Namespace = _h.Namespace };
        // The first round has nothing to compare with: it wakes the Cluster once. Then, nothing changed, nothing is woken.
        (await prober.RunAsync(default)).ShouldBe(new ProbeRound(1, 1));
        (await prober.RunAsync(default)).ShouldBe(new ProbeRound(1, 0));

        // Workload Nodes are not relayed: only the probe can notice this.
        var now = DateTime.UtcNow;
        var status = new V1NodeStatus
        {
            Conditions = [new V1NodeCondition { Type = "Ready", Status = "False", Reason = "KubeletNotReady", LastTransitionTime = now, LastHeartbeatTime = now }],
        };
        await _workload.MergePatchAsync<V1Node>(null, "w1", new JsonObject { ["status"] = JsonNode.Parse(k8s.KubernetesJson.Serialize(status)) }, status: true);
        (await prober.RunAsync(default)).ShouldBe(new ProbeRound(1, 1));

        await WaitForAsync(async () =>
            Conditions.Get((await _h.MachineAsync("w1"))?.Status.Conditions, MachineConditions.NodeReady)?.Status == ConditionStatus.False,
            "w1 NodeReady False");
        Conditions.Get((await _h.MachineAsync("cp1"))!.Status.Conditions, MachineConditions.NodeReady)!.Status.ShouldBe(ConditionStatus.True);
    }

    [Fact]
    public async Task The_admin_API_forces_reconciles_and_rejects_bad_or_unknown_objects()
    {
        await RunningClusterAsync();
        var machine = (await _h.MachineAsync("w1"))!;

        var forced = await _world.Admin.ReconcileAsync("Machine", _h.Namespace, "w1", CancellationToken.None);
        forced.StatusCode.ShouldBe(202);
        forced.Body["instanceId"]!.GetValue<string>().ShouldBe($"@objectreconcile@Machine.{machine.Metadata.Uid}");

        (await _world.Admin.ReconcileAsync("Secret", _h.Namespace, "w1", CancellationToken.None)).StatusCode.ShouldBe(400);
        (await _world.Admin.ReconcileAsync("Machine", "Bad_Namespace", "w1", CancellationToken.None)).StatusCode.ShouldBe(400);
        var missing = await _world.Admin.ReconcileAsync("Machine", _h.Namespace, "nope", CancellationToken.None);
        missing.StatusCode.ShouldBe(404);
        missing.Body["reason"]!.GetValue<string>().ShouldBe($"Machine {_h.Namespace}/nope does not exist");
        (await _world.Admin.GetClusterAsync(_h.Namespace, "nope", CancellationToken.None)).StatusCode.ShouldBe(404);
        (await _world.Admin.SetPausedAsync(_h.Namespace, "UPPER", true, CancellationToken.None)).StatusCode.ShouldBe(400);
    }

    [Fact]
    public async Task Pausing_a_cluster_holds_its_machines_and_resuming_catches_up()
    {
        await RunningClusterAsync();

        (await _world.Admin.SetPausedAsync(_h.Namespace, "c1", true, CancellationToken.None)).StatusCode.ShouldBe(200);
        await WaitForAsync(async () => Conditions.IsTrue((await _h.MachineAsync("w1"))?.Status.Conditions, MachineConditions.Paused), "w1 Paused");

        // While paused, a lost Node goes unnoticed even when the Machine is woken explicitly.
        var machine = (await _h.MachineAsync("w1"))!;
        var instance = new Durable.ObjectKey(Api.Machine.KubeKind, _h.Namespace, "w1", machine.Metadata.Uid);
        var before = (await _world.Client.GetStateAsync(instance))!.Runs;
        await _workload.DeleteAsync<V1Node>(null, "w1");
        (await _world.Admin.ReconcileAsync("Machine", _h.Namespace, "w1", CancellationToken.None)).StatusCode.ShouldBe(202);
        await WaitForAsync(async () => (await _world.Client.GetStateAsync(instance))!.Runs > before, "the forced reconcile");
        Conditions.Get((await _h.MachineAsync("w1"))!.Status, MachineConditions.NodeHealthy)!.Status.ShouldBe("True");

        (await _world.Admin.SetPausedAsync(_h.Namespace, "c1", false, CancellationToken.None)).StatusCode.ShouldBe(200);
        await WaitForAsync(async () => Conditions.Get((await _h.MachineAsync("w1"))?.Status.Conditions, MachineConditions.NodeHealthy)?.Reason == "NodeDeleted",
            "w1 notices its Node is gone");
        Conditions.IsFalse((await _h.MachineAsync("w1"))!.Status.Conditions, MachineConditions.Paused).ShouldBeTrue();
    }

    [Fact]
    public async Task Deleting_a_cluster_removes_every_descendant_and_leaves_no_workflow_running()
    {
        await RunningClusterAsync();
        var keys = new List<Durable.ObjectKey> { new(Api.Cluster.KubeKind, _h.Namespace, "c1", (await ClusterAsync())!.Metadata.Uid) };
        foreach (var name in new[] { "cp1", "w1" }) keys.Add(new(Api.Machine.KubeKind, _h.Namespace, name, (await _h.MachineAsync(name))!.Metadata.Uid));

        await _h.Kube.DeleteAsync<Api.Cluster>(_h.Namespace, "c1");

        await WaitForAsync(async () => await ClusterAsync() is null, "Cluster c1 gone");
        (await _h.Kube.ListAsync<Api.Machine>(_h.Namespace)).ShouldBeEmpty();
        (await _h.Kube.ListAsync<Api.DevMachine>(_h.Namespace)).ShouldBeEmpty();
        (await _h.Kube.ListAsync<Api.KubeadmConfig>(_h.Namespace)).ShouldBeEmpty();
        (await _h.Kube.ListAsync<Api.DevCluster>(_h.Namespace)).ShouldBeEmpty();
        await WaitForAsync(async () => await _h.Kube.GetAsync<V1Secret>(_h.Namespace, WorkloadClusters.KubeconfigSecretName("c1")) is null,
            "the kubeconfig Secret garbage collected");
        // A gone object's entity deletes its state: nothing is left to wake.
        foreach (var key in keys)
            await WaitForAsync(async () => await _world.Client.GetStateAsync(key) is null, $"{key.Kind} {key.Name}'s entity deleted");
    }
}
