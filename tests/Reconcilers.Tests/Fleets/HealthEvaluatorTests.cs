using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineHealthChecks;
using static ServerlessCapi.FleetTests.FleetBuilders;

namespace ServerlessCapi.FleetTests;

public class HealthEvaluatorTests
{
    private static readonly ClusterHealthFacts ReadyCluster = new(true, Now.AddHours(-2), true, Now.AddHours(-2));

    private static MachineHealthCheckChecks Checks(int startup = 600, int notReadyTimeout = 300) => new()
    {
        NodeStartupTimeoutSeconds = startup,
        UnhealthyNodeConditions =
        [
            new UnhealthyNodeCondition { Type = "Ready", Status = "False", TimeoutSeconds = notReadyTimeout },
            new UnhealthyNodeCondition { Type = "Ready", Status = "Unknown", TimeoutSeconds = notReadyTimeout },
        ],
    };

    private static Machine WithNode(string name) => Bare(name, Now.AddHours(-1), node: name);

    [Fact]
    public void A_machine_with_a_ready_node_is_healthy()
    {
        var verdict = HealthEvaluator.Evaluate(new HealthTarget(WithNode("m"), Node("m", ("Ready", "True", Now.AddMinutes(-50), "KubeletReady"))), Checks(), ReadyCluster, Now);

        verdict.State.ShouldBe(HealthState.Healthy);
        verdict.NextCheck.ShouldBeNull();
    }

    [Fact]
    public void A_node_not_ready_past_its_timeout_is_unhealthy_with_capi_wording()
    {
        var node = Node("m", ("Ready", "False", Now.AddMinutes(-6), "KubeletNotReady"));

        var verdict = HealthEvaluator.Evaluate(new HealthTarget(WithNode("m"), node), Checks(), ReadyCluster, Now);

        verdict.State.ShouldBe(HealthState.Unhealthy);
        verdict.Reason.ShouldBe(MachineReasons.HealthCheckUnhealthyNode);
        verdict.Message.ShouldBe("Health check failed:\n  * Condition Ready on Node is reporting status False with reason KubeletNotReady for more than 5m0s");
    }

    [Fact]
    public void A_node_not_ready_within_its_timeout_is_pending_until_the_timeout_expires()
    {
        var node = Node("m", ("Ready", "False", Now.AddMinutes(-2), "KubeletNotReady"));

        var verdict = HealthEvaluator.Evaluate(new HealthTarget(WithNode("m"), node), Checks(), ReadyCluster, Now);

        verdict.State.ShouldBe(HealthState.Pending);
        verdict.NextCheck.ShouldBe(Now.AddMinutes(3).AddSeconds(1));
    }

    [Fact]
    public void A_machine_without_node_gets_the_startup_timeout_from_the_latest_readiness()
    {
        var machine = Bare("m", Now.AddMinutes(-20)).With(MachineConditions.InfrastructureReady, ConditionStatus.True, since: Now.AddMinutes(-4));

        var pending = HealthEvaluator.Evaluate(new HealthTarget(machine, null), Checks(startup: 300), ReadyCluster, Now);
        var late = HealthEvaluator.Evaluate(new HealthTarget(machine, null), Checks(startup: 300), ReadyCluster, Now.AddMinutes(2));

        pending.State.ShouldBe(HealthState.Pending);
        pending.NextCheck.ShouldBe(Now.AddMinutes(1).AddSeconds(1));
        late.State.ShouldBe(HealthState.Unhealthy);
        late.Reason.ShouldBe(MachineReasons.HealthCheckNodeStartupTimeout);
        late.Message.ShouldBe("Health check failed:\n  * Node failed to report startup in 5m0s");
    }

    [Fact]
    public void A_zero_startup_timeout_disables_the_startup_check()
    {
        var verdict = HealthEvaluator.Evaluate(new HealthTarget(Bare("m", Now.AddDays(-1)), null), Checks(startup: 0), ReadyCluster, Now);

        verdict.State.ShouldBe(HealthState.Pending);
        verdict.NextCheck.ShouldBeNull();
    }

    [Fact]
    public void A_deleted_node_is_unhealthy()
    {
        var verdict = HealthEvaluator.Evaluate(new HealthTarget(WithNode("m"), null, NodeMissing: true), Checks(), ReadyCluster, Now);

        verdict.State.ShouldBe(HealthState.Unhealthy);
        verdict.Reason.ShouldBe(MachineReasons.HealthCheckNodeDeleted);
        verdict.Message!.ShouldContain("Node m has been deleted");
    }

    [Fact]
    public void An_unobservable_node_is_neither_healthy_nor_unhealthy()
    {
        var verdict = HealthEvaluator.Evaluate(new HealthTarget(WithNode("m"), null, NodeUnobservable: true), Checks(), ReadyCluster, Now);

        verdict.State.ShouldBe(HealthState.Pending);
    }

    [Fact]
    public void Machine_conditions_are_checked_before_node_conditions()
    {
        var checks = Checks();
        checks.UnhealthyMachineConditions = [new UnhealthyMachineCondition { Type = "Ready", Status = "False", TimeoutSeconds = 60 }];
        var machine = WithNode("m").With(MachineConditions.Ready, ConditionStatus.False, reason: "NotReady", since: Now.AddMinutes(-2));
        var node = Node("m", ("Ready", "False", Now.AddMinutes(-10), "KubeletNotReady"));

        var verdict = HealthEvaluator.Evaluate(new HealthTarget(machine, node), checks, ReadyCluster, Now);

        verdict.Reason.ShouldBe(MachineReasons.HealthCheckUnhealthyMachine);
        verdict.Message.ShouldBe("Health check failed:\n  * Condition Ready on Machine is reporting status False with reason NotReady for more than 1m0s");
    }

    [Fact]
    public void The_remediate_machine_annotation_makes_a_machine_unhealthy_at_once()
    {
        var machine = WithNode("m").Annotated(CapiAnnotations.RemediateMachine);

        var verdict = HealthEvaluator.Evaluate(new HealthTarget(machine, Node("m", ("Ready", "True", Now, "KubeletReady"))), Checks(), ReadyCluster, Now);

        verdict.State.ShouldBe(HealthState.Unhealthy);
        verdict.Reason.ShouldBe(MachineReasons.HealthCheckHasRemediateAnnotation);
    }

    [Fact]
    public void Workers_are_not_judged_before_the_control_plane_is_initialized()
    {
        var cluster = new ClusterHealthFacts(false, null, true, Now.AddHours(-1));
        var worker = Bare("w", Now.AddDays(-1));
        var controlPlane = Bare("cp", Now.AddDays(-1)).Labelled(CapiLabels.ControlPlane, "");

        HealthEvaluator.Evaluate(new HealthTarget(worker, null), Checks(), cluster, Now).State.ShouldBe(HealthState.Pending);
        HealthEvaluator.Evaluate(new HealthTarget(controlPlane, null), Checks(), cluster, Now).State.ShouldBe(HealthState.Unhealthy);
    }

    [Fact]
    public void Cluster_facts_come_from_conditions_or_initialization()
    {
        var cluster = new Cluster();
        cluster.Status.Initialization = new ClusterInitializationStatus { ControlPlaneInitialized = true, InfrastructureProvisioned = true };
        ClusterHealthFacts.Of(cluster).ShouldBe(new ClusterHealthFacts(true, null, true, null));

        Conditions.Set(cluster.Status, ClusterConditions.InfrastructureReady, ConditionStatus.False, "NotReady", "", null, Now);
        ClusterHealthFacts.Of(cluster).InfrastructureReady.ShouldBeFalse();
    }
}
