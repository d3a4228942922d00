using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Machine;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>Machine deletion step by step against the embedded API server: hooks, drain, teardown, Node, finalizer.</summary>
public sealed class MachineDeletionTests : IAsyncLifetime
{
    private Harness _h = null!;

    public async Task InitializeAsync() => _h = await Harness.StartAsync();

    public Task DisposeAsync()
    {
        _h.Dispose();
        return Task.CompletedTask;
    }

    private StepDriver Driver(Api.Machine m) =>
        new(new MachineWorkflow(_h.Kube, _h.Workloads, NullLogger<MachineWorkflow>.Instance),
            new ObjectKey(Api.Machine.KubeKind, _h.Namespace, m.Metadata.Name, m.Metadata.Uid));

    /// <summary>A running worker and a running control plane Machine (so the worker's Node may be deleted).</summary>
    private async Task<(KubeApi Workload, StepDriver Worker)> ClusterWithRunningWorkerAsync()
    {
        await _h.CreateClusterAsync("c1");
        var workload = await _h.CreateWorkloadClusterAsync("c1");
        foreach (var (name, cp) in new[] { ("cp1", true), ("w1", false) })
        {
            await _h.CreateMachineAsync(name, "c1", controlPlane: cp, edit: m =>
            {
                if (name == "w1") m.Metadata.Annotations = new Dictionary<string, string> { [$"{CapiAnnotations.PreDrainDeleteHookPrefix}/backup"] = "" };
            });
            await _h.MarkBootstrapReadyAsync(name);
            await _h.MarkInfrastructureAsync(name, provisioned: true);
            await Harness.CreateNodeAsync(workload, name, _h.ProviderId(name));
        }
        var worker = Driver((await _h.MachineAsync("w1"))!);
        await worker.StepUntilAsync(async () => (await _h.MachineAsync("w1"))?.Status.Phase == MachinePhase.Running, what: "w1 Running");
        await Driver((await _h.MachineAsync("cp1"))!).StepUntilAsync(async () => (await _h.MachineAsync("cp1"))?.Status.Phase == MachinePhase.Running, what: "cp1 Running");
        return (workload, worker);
    }

    private static Task<V1Pod> CreatePodAsync(KubeApi workload, string name, string node, bool daemonSet = false) =>
        workload.CreateAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = "default",
                OwnerReferences = daemonSet ? [new V1OwnerReference { ApiVersion = "apps/v1", Kind = "DaemonSet", Name = "ds", Uid = "ds-uid", Controller = true }] : null,
            },
            Spec = new V1PodSpec { NodeName = node, Containers = [new V1Container { Name = "c", Image = "busybox" }] },
        });

    [Fact]
    public async Task Deleting_a_machine_waits_for_its_hook_drains_and_deletes_Node_infrastructure_and_bootstrap()
    {
        var (workload, driver) = await ClusterWithRunningWorkerAsync();
        await CreatePodAsync(workload, "web", "w1");
        await CreatePodAsync(workload, "logs", "w1", daemonSet: true);
        await CreatePodAsync(workload, "elsewhere", "cp1");

        await _h.Kube.DeleteAsync<Api.Machine>(_h.Namespace, "w1");
        await driver.StepAsync();

        // The pre-drain hook holds everything.
        var held = (await _h.MachineAsync("w1"))!;
        held.Status.Phase.ShouldBe(MachinePhase.Deleting);
        var deleting = Conditions.Get(held.Status, MachineConditions.Deleting)!;
        deleting.Reason.ShouldBe("WaitingForPreDrainHook");
        deleting.Message.ShouldBe($"Waiting for pre-drain hooks to succeed (hooks: {CapiAnnotations.PreDrainDeleteHookPrefix}/backup)");
        held.Status.Deletion!.WaitForPreDrainHookStartTime.ShouldNotBeNull();
        (await workload.GetAsync<V1Pod>("default", "web")).ShouldNotBeNull();
        driver.Last!.Wait!.Until.ShouldBeNull();

        // Removing the hook lets the drain start: cordon, evict what is not a DaemonSet Pod.
        await _h.Kube.MergePatchAsync<Api.Machine>(_h.Namespace, "w1", new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [$"{CapiAnnotations.PreDrainDeleteHookPrefix}/backup"] = null } },
        });
        await driver.StepUntilAsync(async () => await _h.MachineAsync("w1") is null, what: "w1 gone");

        (await workload.GetAsync<V1Pod>("default", "web")).ShouldBeNull();
        (await workload.GetAsync<V1Pod>("default", "elsewhere")).ShouldNotBeNull();
        (await workload.GetAsync<V1Node>(null, "w1")).ShouldBeNull();
        (await workload.GetAsync<V1Node>(null, "cp1")).ShouldNotBeNull();
        (await _h.Kube.GetAsync<Api.DevMachine>(_h.Namespace, "w1")).ShouldBeNull();
        (await _h.Kube.GetAsync<Api.KubeadmConfig>(_h.Namespace, "w1")).ShouldBeNull();
        driver.Last!.Outcome.ShouldBe(Durable.StepOutcome.Completed);
    }

    [Fact]
    public async Task A_drain_in_progress_is_recorded_and_polled_with_a_timer()
    {
        var (workload, driver) = await ClusterWithRunningWorkerAsync();
        await _h.Kube.MergePatchAsync<Api.Machine>(_h.Namespace, "w1", new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [$"{CapiAnnotations.PreDrainDeleteHookPrefix}/backup"] = null } },
        });
        // A Pod that is terminating but not gone keeps the drain going.
        var stuck = await CreatePodAsync(workload, "stuck", "w1");
        await workload.MergePatchAsync<V1Pod>("default", "stuck", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = new JsonArray("test/keep") } });
        await workload.DeleteAsync<V1Pod>("default", "stuck", stuck.Metadata.Uid);

        await _h.Kube.DeleteAsync<Api.Machine>(_h.Namespace, "w1");
        await driver.StepAsync();

        var m = (await _h.MachineAsync("w1"))!;
        var deleting = Conditions.Get(m.Status, MachineConditions.Deleting)!;
        deleting.Reason.ShouldBe("DrainingNode");
        deleting.Message.ShouldContain("* Pod default/stuck: deletionTimestamp set, but still not removed from the Node");
        m.Status.Deletion!.NodeDrainStartTime.ShouldNotBeNull();
        Conditions.Get(m.Status, MachineConditions.Ready)!.Message.ShouldBe("* Deleting: Machine deletion in progress, stage: DrainingNode");
        (await workload.GetAsync<V1Node>(null, "w1"))!.Spec.Unschedulable.ShouldBe(true);
        driver.Last!.Wait!.Until.ShouldNotBeNull();

        // The Pod finally goes: the deletion completes.
        await workload.MergePatchAsync<V1Pod>("default", "stuck", new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } });
        await driver.StepUntilAsync(async () => await _h.MachineAsync("w1") is null, what: "w1 gone");
        (await workload.GetAsync<V1Node>(null, "w1")).ShouldBeNull();
    }

    [Fact]
    public async Task The_last_control_plane_machine_leaves_its_Node_alone()
    {
        await ClusterWithRunningWorkerAsync();
        var workload = await _h.Workloads.GetAsync(_h.Namespace, "c1");
        var cp = Driver((await _h.MachineAsync("cp1"))!);

        await _h.Kube.DeleteAsync<Api.Machine>(_h.Namespace, "cp1");
        await cp.StepUntilAsync(async () => await _h.MachineAsync("cp1") is null, what: "cp1 gone");

        (await workload!.GetAsync<V1Node>(null, "cp1")).ShouldNotBeNull();
        (await _h.Kube.GetAsync<Api.DevMachine>(_h.Namespace, "cp1")).ShouldBeNull();
    }
}
