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
        new(new MachineReconciler(_h.Kube, _h.Workloads, NullLogger<MachineReconciler>.Instance),
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

    [Fact]
    public async Task Deleting_a_machine_waits_for_its_hooks_cordons_and_deletes_Node_infrastructure_and_bootstrap()
    {
        var (workload, driver) = await ClusterWithRunningWorkerAsync();
        await _h.Kube.MergePatchAsync<Api.Machine>(_h.Namespace, "w1", new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [$"{CapiAnnotations.PreTerminateDeleteHookPrefix}/snapshot"] = "" } },
        });

        await _h.Kube.DeleteAsync<Api.Machine>(_h.Namespace, "w1");
        await driver.StepAsync();

        // The pre-drain hook holds everything; removing the annotation is the change that wakes the workflow.
        var held = (await _h.MachineAsync("w1"))!;
        held.Status.Phase.ShouldBe(MachinePhase.Deleting);
        var deleting = Conditions.Get(held.Status, MachineConditions.Deleting)!;
        deleting.Reason.ShouldBe("WaitingForPreDrainHook");
        deleting.Message.ShouldBe($"Waiting for pre-drain hooks to succeed (hooks: {CapiAnnotations.PreDrainDeleteHookPrefix}/backup)");
        held.Status.Deletion!.WaitForPreDrainHookStartTime.ShouldNotBeNull();
        Conditions.Get(held.Status, MachineConditions.Ready)!.Message.ShouldBe("* Deleting: Machine deletion in progress, stage: WaitingForPreDrainHook");
        (await workload.GetAsync<V1Node>(null, "w1"))!.Spec.Unschedulable.ShouldNotBe(true);
        driver.RequeueAfter.ShouldBeNull();

        await RemoveAnnotationAsync($"{CapiAnnotations.PreDrainDeleteHookPrefix}/backup");
        await driver.StepAsync();

        // Drained (cordoned, nothing to evict); now the pre-terminate hook holds the teardown.
        var drained = (await _h.MachineAsync("w1"))!;
        Conditions.Get(drained.Status, MachineConditions.Deleting)!.Reason.ShouldBe("WaitingForPreTerminateHook");
        drained.Status.Deletion!.NodeDrainStartTime.ShouldNotBeNull();
        (await workload.GetAsync<V1Node>(null, "w1"))!.Spec.Unschedulable.ShouldBe(true);
        (await _h.Kube.GetAsync<Api.DevMachine>(_h.Namespace, "w1")).ShouldNotBeNull();
        var drainedEvents = await _h.Kube.ListAsync<Corev1Event>(_h.Namespace, fieldSelector: "involvedObject.kind=Machine,involvedObject.name=w1,reason=SuccessfulDrainNode");
        drainedEvents.ShouldHaveSingleItem().Message.ShouldBe("success draining Machine's node \"w1\"");
        drainedEvents[0].ReportingComponent.ShouldBe("machine-controller");

        await RemoveAnnotationAsync($"{CapiAnnotations.PreTerminateDeleteHookPrefix}/snapshot");
        await driver.StepUntilAsync(async () => await _h.MachineAsync("w1") is null, what: "w1 gone");

        (await workload.GetAsync<V1Node>(null, "w1")).ShouldBeNull();
        (await workload.GetAsync<V1Node>(null, "cp1")).ShouldNotBeNull();
        (await _h.Kube.GetAsync<Api.DevMachine>(_h.Namespace, "w1")).ShouldBeNull();
        (await _h.Kube.GetAsync<Api.KubeadmConfig>(_h.Namespace, "w1")).ShouldBeNull();
        driver.Last.ShouldBeOfType<Workflows.Reconcile.ReconcileOutcome.GoneOutcome>();
    }

    private Task<Api.Machine> RemoveAnnotationAsync(string key) =>
        _h.Kube.MergePatchAsync<Api.Machine>(_h.Namespace, "w1", new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [key] = null } },
        });

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
