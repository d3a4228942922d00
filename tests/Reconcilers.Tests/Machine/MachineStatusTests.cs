using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Machine;
using ServerlessCapi.Reconcilers.Rollout;

namespace ServerlessCapi.Reconcilers.Tests.Machine;

public class MachineStatusTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static Api.Machine NewMachine() => new()
    {
        Metadata = new V1ObjectMeta { Name = "m1", NamespaceProperty = "ns", Generation = 3, CreationTimestamp = Now.UtcDateTime.AddMinutes(-5) },
        Spec = new MachineSpec
        {
            ClusterName = "c1",
            Version = "v1.31.0",
            Bootstrap = new MachineBootstrap { ConfigRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Bootstrap, Kind = "KubeadmConfig", Name = "m1" } },
            InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = "DevMachine", Name = "m1" },
        },
    };

    private static Api.Cluster NewCluster(bool infrastructure = true, bool controlPlane = true)
    {
        var cluster = new Api.Cluster { Metadata = new V1ObjectMeta { Name = "c1", NamespaceProperty = "ns" } };
        cluster.Status.Initialization = new ClusterInitializationStatus { InfrastructureProvisioned = infrastructure, ControlPlaneInitialized = controlPlane };
        return cluster;
    }

    private static JsonObject Provider(string kind, string? readyStatus = null, string reason = "", string message = "")
    {
        var conditions = new JsonArray();
        if (readyStatus is not null)
        {
            conditions.Add(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = readyStatus,
                ["reason"] = reason,
                ["message"] = message,
                ["lastTransitionTime"] = "2026-05-01T11:00:00Z",
            });
        }
        return new JsonObject
        {
            ["kind"] = kind,
            ["metadata"] = new JsonObject { ["name"] = "m1" },
            ["status"] = new JsonObject { ["conditions"] = conditions },
        };
    }

    private static V1Node NewNode(string ready = "True", params (string Type, string Status, string Message)[] extra)
    {
        var conditions = new List<V1NodeCondition> { new() { Type = "Ready", Status = ready, Message = ready == "True" ? "" : "kubelet stopped posting node status" } };
        conditions.AddRange(new[] { "MemoryPressure", "DiskPressure", "PIDPressure" }
            .Select(t => extra.FirstOrDefault(e => e.Type == t) is { Type: not null } e
                ? new V1NodeCondition { Type = t, Status = e.Status, Message = e.Message }
                : new V1NodeCondition { Type = t, Status = "False" }));
        return new V1Node
        {
            Metadata = new V1ObjectMeta { Name = "m1" },
            Spec = new V1NodeSpec { ProviderID = "in-memory://ns/c1/m1" },
            Status = new V1NodeStatus { Conditions = conditions },
        };
    }

    private static Condition Get(Api.Machine m, string type) => Conditions.Get(m.Status, type) ?? throw new ShouldAssertException($"{type} is not set");

    private static MachineScope RunningScope(Api.Machine m)
    {
        m.Spec.ProviderId = "in-memory://ns/c1/m1";
        m.Spec.Bootstrap.DataSecretName = "m1";
        m.Status.Initialization = new MachineInitializationStatus { BootstrapDataSecretCreated = true, InfrastructureProvisioned = true };
        m.Status.NodeRef = new MachineNodeReference { Name = "m1" };
        return new MachineScope(m, Now)
        {
            Cluster = NewCluster(),
            BootstrapConfig = Provider("KubeadmConfig", "True", "Ready"),
            InfraMachine = Provider("DevMachine", "True", "Ready"),
            Node = NewNode(),
            Connection = WorkloadConnection.Connected,
        };
    }

    [Fact]
    public void A_machine_whose_objects_do_not_exist_yet_is_Pending_and_says_what_it_waits_for()
    {
        var m = NewMachine();
        var s = new MachineScope(m, Now) { Cluster = NewCluster(infrastructure: false), BootstrapConfigNotFound = true, InfraMachineNotFound = true };

        MachineStatusCalculator.Apply(s);

        m.Status.Phase.ShouldBe(MachinePhase.Pending);
        Get(m, MachineConditions.BootstrapConfigReady).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe("False"), c => c.Reason.ShouldBe("ObjectDoesNotExist"), c => c.Message.ShouldBe("KubeadmConfig does not exist"));
        Get(m, MachineConditions.InfrastructureReady).Message.ShouldBe("DevMachine does not exist");
        Get(m, MachineConditions.NodeReady).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe("Unknown"), c => c.Reason.ShouldBe("InspectionFailed"),
            c => c.Message.ShouldBe("Waiting for Cluster status.initialization.infrastructureProvisioned to be true"));
        var ready = Get(m, MachineConditions.Ready);
        ready.Status.ShouldBe("False");
        ready.Reason.ShouldBe("NotReady");
        ready.Message.ShouldBe("""
            * BootstrapConfigReady: KubeadmConfig does not exist
            * InfrastructureReady: DevMachine does not exist
            * NodeHealthy: Waiting for Cluster status.initialization.infrastructureProvisioned to be true
            """.Replace("\r\n", "\n", StringComparison.Ordinal));
        Get(m, MachineConditions.Available).Reason.ShouldBe("NotReady");
        Get(m, MachineConditions.Deleting).Reason.ShouldBe("NotDeleting");
        m.Status.ObservedGeneration.ShouldBe(3);
        m.Status.LastUpdated.ShouldBe(Now.UtcDateTime);
    }

    [Fact]
    public void A_failed_boot_on_the_infrastructure_machine_is_mirrored_into_InfrastructureReady()
    {
        var m = NewMachine();
        m.Spec.Bootstrap.DataSecretName = "m1";
        m.Status.Initialization = new MachineInitializationStatus { BootstrapDataSecretCreated = true };
        var s = new MachineScope(m, Now)
        {
            Cluster = NewCluster(),
            BootstrapConfig = Provider("KubeadmConfig", "True", "Ready"),
            InfraMachine = Provider("DevMachine", "False", "VMProvisioningFailed", "VM failed to boot: injected failure"),
        };

        MachineStatusCalculator.Apply(s);

        m.Status.Phase.ShouldBe(MachinePhase.Provisioning);
        Get(m, MachineConditions.BootstrapConfigReady).Status.ShouldBe("True");
        var infra = Get(m, MachineConditions.InfrastructureReady);
        infra.Status.ShouldBe("False");
        infra.Reason.ShouldBe("VMProvisioningFailed");
        infra.Message.ShouldBe("VM failed to boot: injected failure");
        Get(m, MachineConditions.Ready).Message.ShouldContain("* InfrastructureReady: VM failed to boot: injected failure");
    }

    [Fact]
    public void Without_a_Ready_condition_the_provider_fields_decide()
    {
        var m = NewMachine();
        var s = new MachineScope(m, Now) { Cluster = NewCluster(), BootstrapConfig = Provider("KubeadmConfig"), InfraMachine = Provider("DevMachine") };

        MachineStatusCalculator.Apply(s);

        Get(m, MachineConditions.BootstrapConfigReady).Message.ShouldBe("KubeadmConfig status.initialization.dataSecretCreated is false");
        Get(m, MachineConditions.InfrastructureReady).ShouldSatisfyAllConditions(
            c => c.Reason.ShouldBe("NotReady"), c => c.Message.ShouldBe("DevMachine status.initialization.provisioned is false"));
    }

    [Fact]
    public void A_provisioned_machine_waits_for_its_Node_by_providerID()
    {
        var m = NewMachine();
        var s = RunningScope(m);
        m.Status.NodeRef = null;
        s.Node = null;

        MachineStatusCalculator.Apply(s);

        m.Status.Phase.ShouldBe(MachinePhase.Provisioned);
        Get(m, MachineConditions.NodeReady).Message.ShouldBe("Waiting for a Node with spec.providerID in-memory://ns/c1/m1 to exist");
    }

    [Fact]
    public void A_machine_with_a_ready_Node_is_Running_Ready_and_Available()
    {
        var m = NewMachine();
        m.Status.Phase = MachinePhase.Provisioned;

        var requeue = MachineStatusCalculator.Apply(RunningScope(m));

        requeue.ShouldBeNull();
        m.Status.Phase.ShouldBe(MachinePhase.Running);
        m.Status.LastUpdated.ShouldBe(Now.UtcDateTime);
        Get(m, MachineConditions.NodeReady).Reason.ShouldBe("NodeReady");
        Get(m, MachineConditions.NodeHealthy).Reason.ShouldBe("NodeHealthy");
        Get(m, MachineConditions.Ready).ShouldSatisfyAllConditions(c => c.Status.ShouldBe("True"), c => c.Reason.ShouldBe("Ready"), c => c.Message.ShouldBe(""));
        Get(m, MachineConditions.Available).Status.ShouldBe("True");
    }

    [Fact]
    public void MinReadySeconds_holds_Available_back_and_asks_for_a_timer()
    {
        var m = NewMachine();
        m.Spec.MinReadySeconds = 30;

        var requeue = MachineStatusCalculator.Apply(RunningScope(m));

        requeue.ShouldBe(TimeSpan.FromSeconds(30));
        Get(m, MachineConditions.Available).Reason.ShouldBe("WaitingForMinReadySeconds");
    }

    [Fact]
    public void A_not_ready_Node_makes_the_machine_not_ready_with_the_kubelet_message()
    {
        var m = NewMachine();
        var s = RunningScope(m);
        s.Node = NewNode("False", ("MemoryPressure", "True", "kubelet has insufficient memory available"));

        MachineStatusCalculator.Apply(s);

        Get(m, MachineConditions.NodeReady).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe("False"), c => c.Reason.ShouldBe("NodeNotReady"), c => c.Message.ShouldBe("* Node.Ready: kubelet stopped posting node status"));
        Get(m, MachineConditions.NodeHealthy).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe("False"), c => c.Reason.ShouldBe("NodeNotHealthy"),
            c => c.Message.ShouldBe("* Node.Ready: kubelet stopped posting node status\n* Node.MemoryPressure: kubelet has insufficient memory available"));
        Get(m, MachineConditions.Ready).Status.ShouldBe("False");
        Get(m, MachineConditions.Available).Status.ShouldBe("False");
    }

    [Fact]
    public void A_vanished_Node_is_reported_deleted_while_the_machine_still_exists()
    {
        var m = NewMachine();
        var s = RunningScope(m);
        s.Node = null;

        MachineStatusCalculator.Apply(s);

        Get(m, MachineConditions.NodeHealthy).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe("False"), c => c.Reason.ShouldBe("NodeDeleted"), c => c.Message.ShouldBe("Node m1 has been deleted while the Machine still exists"));
    }

    [Fact]
    public void The_last_known_Node_state_survives_a_short_connection_loss()
    {
        var m = NewMachine();
        MachineStatusCalculator.Apply(RunningScope(m));
        var s = RunningScope(m);
        s.Node = null;
        s.Connection = WorkloadConnection.NotConnected;

        MachineStatusCalculator.Apply(s);

        Get(m, MachineConditions.NodeHealthy).Status.ShouldBe("True");
        m.Status.Phase.ShouldBe(MachinePhase.Running);
    }

    [Fact]
    public void A_deleting_machine_reports_its_stage_in_Deleting_and_a_short_Ready_message()
    {
        var m = NewMachine();
        m.Metadata.DeletionTimestamp = Now.UtcDateTime.AddMinutes(-1);
        var s = RunningScope(m);
        s.DeletingReason = MachineReasons.DeletingDrainingNode;
        s.DeletingMessage = "Drain not completed yet (started at 2026-05-01T11:59:00Z):\n* Pod default/web: eviction requested";

        MachineStatusCalculator.Apply(s);

        m.Status.Phase.ShouldBe(MachinePhase.Deleting);
        Get(m, MachineConditions.Deleting).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe("True"), c => c.Reason.ShouldBe("DrainingNode"), c => c.Message.ShouldStartWith("Drain not completed yet"));
        Get(m, MachineConditions.Ready).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe("False"), c => c.Message.ShouldBe("* Deleting: Machine deletion in progress, stage: DrainingNode"));
    }

    [Fact]
    public void Parts_going_away_during_deletion_are_not_issues_of_their_own()
    {
        var m = NewMachine();
        m.Metadata.DeletionTimestamp = Now.UtcDateTime.AddMinutes(-1);
        var s = RunningScope(m);
        s.InfraMachine = null;
        s.InfraMachineNotFound = true;
        s.DeletingReason = MachineReasons.DeletingWaitingForBootstrapDeletion;

        MachineStatusCalculator.Apply(s);

        Get(m, MachineConditions.InfrastructureReady).ShouldSatisfyAllConditions(
            c => c.Reason.ShouldBe("ObjectDeleted"), c => c.Message.ShouldBe("DevMachine has been deleted"));
        Get(m, MachineConditions.Ready).Message.ShouldBe("* Deleting: Machine deletion in progress, stage: WaitingForBootstrapDeletion");
    }

    [Fact]
    public void A_machine_of_a_deployment_is_not_up_to_date_when_its_set_is_behind()
    {
        var m = NewMachine();
        var set = new MachineSet { Spec = new MachineSetSpec { Template = new MachineTemplateSpec { Spec = NewMachine().Spec } } };
        var desired = NewMachine().Spec;
        desired.Version = "v1.32.0";
        var deployment = new MachineDeployment { Spec = new MachineDeploymentSpec { Template = new MachineTemplateSpec { Spec = desired } } };

        MachineUpToDate.Compute(m, set, deployment, DateTime.UtcNow).ShouldSatisfyAllConditions(
            c => c.Status.ShouldBe("False"), c => c.Reason.ShouldBe("NotUpToDate"), c => c.Message.ShouldBe("* Version v1.31.0, v1.32.0 required"));
    }

    [Fact]
    public void Stand_alone_machines_get_no_UpToDate_from_the_machine_workflow()
    {
        var m = NewMachine();

        MachineStatusCalculator.Apply(RunningScope(m));

        Conditions.Get(m.Status, MachineConditions.UpToDate).ShouldBeNull();
    }

    [Fact]
    public void Transition_times_move_only_when_the_status_changes()
    {
        var m = NewMachine();
        MachineStatusCalculator.Apply(RunningScope(m));
        var first = Get(m, MachineConditions.Ready).LastTransitionTime;

        MachineStatusCalculator.Apply(new MachineScope(m, Now.AddMinutes(1))
        {
            Cluster = NewCluster(),
            BootstrapConfig = Provider("KubeadmConfig", "True", "Ready"),
            InfraMachine = Provider("DevMachine", "True", "Ready"),
            Node = NewNode(),
            Connection = WorkloadConnection.Connected,
        });

        Get(m, MachineConditions.Ready).LastTransitionTime.ShouldBe(first);
    }
}
