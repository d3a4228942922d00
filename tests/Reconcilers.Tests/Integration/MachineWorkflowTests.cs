using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Machine;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>The Machine workflow's steps against the embedded API server, with the test acting as the
/// bootstrap and infrastructure providers and as the workload cluster's kubelet.</summary>
public sealed class MachineWorkflowTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync() => _h = await Harness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    private StepDriver Driver(Api.Machine m) =>
        new(new MachineReconciler(_h.Kube, _h.Workloads, NullLogger<MachineReconciler>.Instance),
            new ObjectKey(Api.Machine.KubeKind, _h.Namespace, m.Metadata.Name, m.Metadata.Uid));

    private static Condition Get(Api.Machine m, string type) => Conditions.Get(m.Status, type) ?? throw new ShouldAssertException($"{type} is not set");

    private async Task<(Api.Machine Machine, KubeApi Workload, StepDriver Driver)> RunningMachineAsync(string name, string cluster = "c1")
    {
        await _h.CreateClusterAsync(cluster);
        var workload = await _h.CreateWorkloadClusterAsync(cluster);
        var machine = await _h.CreateMachineAsync(name, cluster);
        await _h.MarkBootstrapReadyAsync(name);
        await _h.MarkInfrastructureAsync(name, provisioned: true);
        await Harness.CreateNodeAsync(workload, name, _h.ProviderId(name));
        var driver = Driver(machine);
        await driver.StepUntilAsync(async () => (await _h.MachineAsync(name))?.Status.Phase == MachinePhase.Running, what: "phase Running");
        return ((await _h.MachineAsync(name))!, workload, driver);
    }

    [Fact]
    public async Task A_machine_whose_parts_are_not_ready_writes_its_status_without_an_empty_initialization()
    {
        // status.initialization has minProperties 1 in CAPI's schema: an empty one made the API server refuse the
        // whole status write (422) until a milestone filled it.
        await _h.CreateClusterAsync("c1");
        var machine = await _h.CreateMachineAsync("m1", "c1");
        var driver = Driver(machine);

        await driver.StepAsync();
        await driver.StepAsync();

        (driver.Last!.Summary ?? "").ShouldNotContain("422");
        var m = (await _h.MachineAsync("m1"))!;
        m.Status.Initialization.ShouldBeNull();
        Get(m, "BootstrapConfigReady").Status.ShouldBe("False");
        Get(m, "InfrastructureReady").Status.ShouldBe("False");
        m.Status.Phase.ShouldNotBeNull();
    }

    [Fact]
    public async Task A_machine_with_ready_parts_and_a_Node_reaches_Running_with_CAPI_conditions()
    {
        var (m, workload, driver) = await RunningMachineAsync("m1");

        m.Metadata.Finalizers.ShouldContain(CapiFinalizers.Machine);
        m.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("c1");
        m.Metadata.OwnerReferences.ShouldContain(o => o.Kind == "Cluster" && o.Name == "c1" && o.Controller != true);
        m.Spec.Bootstrap.DataSecretName.ShouldBe("m1");
        m.Spec.ProviderId.ShouldBe(_h.ProviderId("m1"));
        m.Spec.Deletion!.NodeDeletionTimeoutSeconds.ShouldBe(10);
        m.Status.Addresses!.Single().Address.ShouldBe("10.0.0.7");
        m.Status.NodeRef!.Name.ShouldBe("m1");
        m.Status.NodeInfo!.KubeletVersion.ShouldBe("v1.31.0");
        m.Status.Initialization!.BootstrapDataSecretCreated.ShouldBe(true);
        m.Status.Initialization.InfrastructureProvisioned.ShouldBe(true);
        m.Status.ObservedGeneration.ShouldBe(m.Metadata.Generation);
        m.Status.LastUpdated.ShouldNotBeNull();
        foreach (var type in new[] { "BootstrapConfigReady", "InfrastructureReady", "NodeReady", "NodeHealthy", "Ready", "Available" })
            Get(m, type).Status.ShouldBe("True", type);
        Get(m, "Deleting").Reason.ShouldBe("NotDeleting");
        Get(m, "Paused").Reason.ShouldBe("NotPaused");

        var infra = await _h.Kube.GetAsync<Api.DevMachine>(_h.Namespace, "m1");
        infra!.Metadata.OwnerReferences.ShouldContain(o => o.Kind == "Machine" && o.Uid == m.Metadata.Uid && o.Controller == true);
        infra.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("c1");
        var config = await _h.Kube.GetAsync<Api.KubeadmConfig>(_h.Namespace, "m1");
        config!.Metadata.OwnerReferences.ShouldContain(o => o.Kind == "Machine" && o.Uid == m.Metadata.Uid && o.Controller == true);
        var node = await workload.GetAsync<V1Node>(null, "m1");
        node!.Metadata.Annotations[CapiAnnotations.Machine].ShouldBe("m1");
        node.Metadata.Annotations[CapiAnnotations.ClusterName].ShouldBe("c1");

        // Running and settled: the workflow waits for the next change instead of polling.
        driver.RequeueAfter.ShouldBeNull();
    }

    [Fact]
    public async Task Waiting_for_the_Node_polls_with_a_short_durable_timer()
    {
        await _h.CreateClusterAsync("c1");
        await _h.CreateWorkloadClusterAsync("c1");
        var machine = await _h.CreateMachineAsync("m1", "c1");
        await _h.MarkBootstrapReadyAsync("m1");
        await _h.MarkInfrastructureAsync("m1", provisioned: true);
        var driver = Driver(machine);

        await driver.StepUntilAsync(async () => (await _h.MachineAsync("m1"))?.Status.Phase == MachinePhase.Provisioned, what: "phase Provisioned");

        var wait = driver.RequeueAfter!.Value;
        wait.ShouldBeInRange(TimeSpan.Zero, TimeSpan.FromSeconds(10));
        Get((await _h.MachineAsync("m1"))!, "NodeReady").Message.ShouldBe($"Waiting for a Node with spec.providerID {_h.ProviderId("m1")} to exist");
    }

    [Fact]
    public async Task A_failed_boot_shows_on_the_Machine_InfrastructureReady_condition()
    {
        await _h.CreateClusterAsync("c1");
        var machine = await _h.CreateMachineAsync("m1", "c1");
        await _h.MarkBootstrapReadyAsync("m1");
        await _h.MarkInfrastructureAsync("m1", provisioned: false, reason: "VMProvisioningFailed", message: "VM failed to boot: injected failure");
        var driver = Driver(machine);

        await driver.StepUntilAsync(async () => (await _h.MachineAsync("m1"))?.Status.Phase == MachinePhase.Provisioning, what: "phase Provisioning");

        var m = (await _h.MachineAsync("m1"))!;
        Get(m, "InfrastructureReady").ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe("False"), c => c.Reason.ShouldBe("VMProvisioningFailed"), c => c.Message.ShouldBe("VM failed to boot: injected failure"));
        Get(m, "Ready").Message.ShouldContain("* InfrastructureReady: VM failed to boot: injected failure");
        m.Spec.ProviderId.ShouldBeNull();
    }

    [Fact]
    public async Task A_paused_cluster_stops_its_machines_and_resuming_lets_them_go_on()
    {
        await _h.CreateClusterAsync("c1");
        await _h.Kube.MergePatchAsync<Api.Cluster>(_h.Namespace, "c1", new JsonObject { ["spec"] = new JsonObject { ["paused"] = true } });
        var machine = await _h.CreateMachineAsync("m1", "c1");
        await _h.MarkBootstrapReadyAsync("m1");
        var driver = Driver(machine);

        await driver.StepAsync();

        var paused = (await _h.MachineAsync("m1"))!;
        Get(paused, "Paused").ShouldSatisfyAllConditions(c => c.Status.ShouldBe("True"), c => c.Reason.ShouldBe("Paused"),
            c => c.Message.ShouldBe("Cluster spec.paused is set to true"));
        paused.Metadata.Finalizers.ShouldBeNull();
        paused.Spec.Bootstrap.DataSecretName.ShouldBeNull();
        driver.RequeueAfter.ShouldBeNull();

        await _h.Kube.MergePatchAsync<Api.Cluster>(_h.Namespace, "c1", new JsonObject { ["spec"] = new JsonObject { ["paused"] = false } });
        await driver.StepAsync();

        var resumed = (await _h.MachineAsync("m1"))!;
        Get(resumed, "Paused").Status.ShouldBe("False");
        resumed.Spec.Bootstrap.DataSecretName.ShouldBe("m1");
        resumed.Metadata.Finalizers.ShouldContain(CapiFinalizers.Machine);
    }

    [Fact]
    public async Task The_paused_annotation_pauses_a_single_machine()
    {
        await _h.CreateClusterAsync("c1");
        var machine = await _h.CreateMachineAsync("m1", "c1", edit: m => m.Metadata.Annotations = new Dictionary<string, string> { [CapiAnnotations.Paused] = "" });
        var driver = Driver(machine);

        await driver.StepAsync();

        Get((await _h.MachineAsync("m1"))!, "Paused").Message.ShouldBe("Machine has the cluster.x-k8s.io/paused annotation");
    }
}
