using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineSets;
using static ServerlessCapi.FleetTests.FleetBuilders;

namespace ServerlessCapi.FleetTests;

public class MachineSetStatusTests
{
    private static MachineSet Set(int replicas, bool deleting = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = "ms", Generation = 3, DeletionTimestamp = deleting ? Now : null },
        Spec = new MachineSetSpec
        {
            ClusterName = "c1",
            Replicas = replicas,
            Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" } },
        },
    };

    private static MachineSetFacts Facts(IReadOnlyList<Machine>? machines, bool infraMissing = false) =>
        new(machines, false, infraMissing, "KubeadmConfigTemplate", "DevMachineTemplate", Now);

    [Fact]
    public void Counters_and_selector_come_from_the_machines()
    {
        var ms = Set(3);
        var machines = new[]
        {
            Healthy("a").With(MachineConditions.UpToDate, ConditionStatus.True),
            Healthy("b").With(MachineConditions.Available, ConditionStatus.False),
            Bare("c").With(MachineConditions.Ready, ConditionStatus.False, "NotReady", "* NodeHealthy: Waiting for a Node"),
        };
        machines[0].Spec.Version = "v1.33.0";
        machines[1].Spec.Version = "v1.33.0";

        MachineSetStatusCalculator.Apply(ms, Facts(machines));

        ms.Status.Selector.ShouldBe("a=1,b=2");
        (ms.Status.Replicas, ms.Status.ReadyReplicas, ms.Status.AvailableReplicas, ms.Status.UpToDateReplicas).ShouldBe((3, 2, 1, 1));
        ms.Status.Versions!.Single().ShouldSatisfyAllConditions(v => v.Version.ShouldBe("v1.33.0"), v => v.Replicas.ShouldBe(2));
        var ready = Conditions.Get(ms.Status, MachineSetConditions.MachinesReady)!;
        ready.Status.ShouldBe(ConditionStatus.False);
        ready.Reason.ShouldBe(MachineSetReasons.MachinesNotReady);
        // Nested bullets, as CAPI summarises a machine's conditions.
        ready.Message.ShouldBe("* Machine c:\n  * NodeHealthy: Waiting for a Node");
    }

    [Fact]
    public void Scaling_conditions_use_capi_messages()
    {
        var up = Set(5);
        MachineSetStatusCalculator.Apply(up, Facts([Healthy("a")], infraMissing: true));
        var down = Set(1);
        MachineSetStatusCalculator.Apply(down, Facts([Healthy("a"), Healthy("b")]));

        Conditions.Get(up.Status, MachineSetConditions.ScalingUp)!.Message.ShouldBe("Scaling up from 1 to 5 replicas is blocked because:\n* DevMachineTemplate does not exist");
        Conditions.Get(up.Status, MachineSetConditions.ScalingDown)!.Status.ShouldBe(ConditionStatus.False);
        Conditions.Get(down.Status, MachineSetConditions.ScalingDown)!.Message.ShouldBe("Scaling down from 2 to 1 replicas");
        Conditions.Get(down.Status, MachineSetConditions.ScalingUp)!.Reason.ShouldBe(MachineSetReasons.NotScalingUp);
    }

    [Fact]
    public void An_empty_set_is_ready_and_up_to_date_with_no_replicas()
    {
        var ms = Set(0);

        MachineSetStatusCalculator.Apply(ms, Facts([]));

        Conditions.Get(ms.Status, MachineSetConditions.MachinesReady)!.Reason.ShouldBe(MachineSetReasons.MachinesReadyNoReplicas);
        Conditions.Get(ms.Status, MachineSetConditions.MachinesUpToDate)!.Reason.ShouldBe(MachineSetReasons.MachinesUpToDateNoReplicas);
        Conditions.Get(ms.Status, MachineSetConditions.Deleting)!.Reason.ShouldBe(MachineSetReasons.NotDeleting);
    }

    [Fact]
    public void Young_machines_without_up_to_date_do_not_make_the_set_flicker()
    {
        var ms = Set(1);

        MachineSetStatusCalculator.Apply(ms, Facts([Bare("fresh", Now.AddSeconds(-3))]));

        Conditions.Get(ms.Status, MachineSetConditions.MachinesUpToDate)!.Status.ShouldBe(ConditionStatus.True);
    }

    [Fact]
    public void Remediating_reports_machines_waiting_for_the_owner_and_unhealthy_ones_otherwise()
    {
        var waiting = Set(2);
        MachineSetStatusCalculator.Apply(waiting, Facts([
            Healthy("a").With(MachineConditions.HealthCheckSucceeded, ConditionStatus.False)
                .With(MachineConditions.OwnerRemediated, ConditionStatus.False, MachineReasons.OwnerRemediatedWaitingForRemediation, "Waiting for remediation"),
            Healthy("b")]));
        var unhealthyOnly = Set(1);
        MachineSetStatusCalculator.Apply(unhealthyOnly, Facts([Healthy("a").With(MachineConditions.HealthCheckSucceeded, ConditionStatus.False)]));

        var remediating = Conditions.Get(waiting.Status, MachineSetConditions.Remediating)!;
        remediating.Status.ShouldBe(ConditionStatus.True);
        remediating.Message.ShouldBe("* Machine a: Waiting for remediation");
        var idle = Conditions.Get(unhealthyOnly.Status, MachineSetConditions.Remediating)!;
        idle.Status.ShouldBe(ConditionStatus.False);
        idle.Message.ShouldBe("Machine a is not healthy (not to be remediated by MachineSet)");
    }

    [Fact]
    public void Deleting_counts_what_is_left()
    {
        var ms = Set(3, deleting: true);

        MachineSetStatusCalculator.Apply(ms, Facts([Healthy("a"), Healthy("b").Deleting(Now.AddMinutes(-20))]));

        var deleting = Conditions.Get(ms.Status, MachineSetConditions.Deleting)!;
        deleting.Status.ShouldBe(ConditionStatus.True);
        deleting.Message.ShouldBe("Deleting 2 Machines\n* Machine b is in deletion since more than 15m");
        Conditions.Get(ms.Status, MachineSetConditions.ScalingDown)!.Message.ShouldStartWith("Scaling down from 2 to 0 replicas");
    }

    [Fact]
    public void Machines_that_cannot_be_listed_make_the_conditions_unknown_and_keep_the_counters()
    {
        var ms = Set(3);
        ms.Status.Replicas = 3;

        MachineSetStatusCalculator.Apply(ms, Facts(null));

        ms.Status.Replicas.ShouldBe(3);
        Conditions.Get(ms.Status, MachineSetConditions.ScalingUp)!.Status.ShouldBe(ConditionStatus.Unknown);
    }
}
