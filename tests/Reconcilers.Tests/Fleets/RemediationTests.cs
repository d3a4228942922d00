using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineHealthChecks;
using ServerlessCapi.Reconcilers.MachineSets;
using static ServerlessCapi.FleetTests.FleetBuilders;

namespace ServerlessCapi.FleetTests;

public class RemediationTests
{
    private static Machine Marked(string name, DateTime created) =>
        Healthy(name, created)
            .With(MachineConditions.HealthCheckSucceeded, ConditionStatus.False, MachineReasons.HealthCheckUnhealthyNode)
            .With(MachineConditions.OwnerRemediated, ConditionStatus.False, MachineReasons.OwnerRemediatedWaitingForRemediation);

    private static MachineSet Set(string revision = "2") => new()
    {
        Metadata = new k8s.Models.V1ObjectMeta { Name = "ms", Annotations = new Dictionary<string, string> { [CapiAnnotations.Revision] = revision } },
        Spec = new MachineSetSpec { Replicas = 4 },
    };

    private static MachineDeployment Deployment(IntOrString? maxInFlight = null, string revision = "2") => new()
    {
        Metadata = new k8s.Models.V1ObjectMeta { Name = "md", Annotations = new Dictionary<string, string> { [CapiAnnotations.Revision] = revision } },
        Spec = new MachineDeploymentSpec { Replicas = 4, Remediation = maxInFlight is null ? null : new MachineDeploymentRemediationSpec { MaxInFlight = maxInFlight } },
    };

    [Theory]
    [InlineData(10, 3, "100%", true, 3)]
    [InlineData(10, 7, "40%", true, 1)]
    [InlineData(10, 5, "40%", false, 0)]
    [InlineData(3, 1, "34%", false, 0)]
    [InlineData(3, 2, 1, true, 0)]
    public void Unhealthy_less_than_or_equal_to_short_circuits_beyond_the_limit(int expected, int healthy, object limit, bool allowed, int remaining)
    {
        var value = limit is int i ? (IntOrString)i : (IntOrString)(string)limit;
        var decision = RemediationGate.Decide(new MachineHealthCheckRemediationTriggerIf { UnhealthyLessThanOrEqualTo = value }, expected, healthy);

        decision.Allowed.ShouldBe(allowed);
        decision.RemediationsAllowed.ShouldBe(remaining);
        if (!allowed) decision.Message.ShouldStartWith("Remediation is not allowed, the number of not started or unhealthy machines exceeds maxUnhealthy");
    }

    [Fact]
    public void The_default_allows_remediating_everything()
    {
        RemediationGate.Decide(null, 4, 0).ShouldBe(new RemediationGate.Decision(true, 0, null));
    }

    [Theory]
    [InlineData("[1-3]", 5, 4, true, 2)]
    [InlineData("[1-3]", 5, 5, false, 0)]
    [InlineData("[1-3]", 5, 1, false, 0)]
    public void Unhealthy_in_range_allows_only_within_the_range(string range, int expected, int healthy, bool allowed, int remaining)
    {
        var decision = RemediationGate.Decide(new MachineHealthCheckRemediationTriggerIf { UnhealthyInRange = range }, expected, healthy);

        decision.Allowed.ShouldBe(allowed);
        decision.RemediationsAllowed.ShouldBe(remaining);
    }

    [Fact]
    public void Malformed_ranges_are_rejected()
    {
        Should.Throw<FormatException>(() => RemediationGate.ParseRange("1-3"));
        Should.Throw<FormatException>(() => RemediationGate.ParseRange("[5-3]"));
    }

    [Fact]
    public void A_set_remediates_marked_machines_newest_first_within_max_in_flight()
    {
        var machines = new List<Machine>
        {
            Marked("old", Now.AddDays(-2)),
            Marked("new", Now.AddHours(-1)),
            Marked("annotated", Now.AddDays(-3)).Annotated(CapiAnnotations.RemediateMachine),
            Healthy("fine"),
        };

        var plan = RemediationPlan.Compute(Set(), Deployment(maxInFlight: 2), machines);

        plan.ToDelete.Select(m => m.Metadata.Name).ShouldBe(["annotated", "new"]);
        plan.Deferred.Select(d => d.Machine.Metadata.Name).ShouldBe(["old"]);
        plan.Deferred[0].Condition.Reason.ShouldBe(MachineSetReasons.MachineRemediationDeferred);
    }

    [Fact]
    public void Remediations_in_flight_use_up_max_in_flight()
    {
        var inFlight = Marked("going", Now.AddDays(-1)).Deleting().With(MachineConditions.OwnerRemediated, ConditionStatus.False, MachineSetReasons.MachineRemediationMachineDeleting);
        var machines = new List<Machine> { inFlight, Marked("waiting", Now) };

        var plan = RemediationPlan.Compute(Set(), Deployment(maxInFlight: 1), machines);

        plan.ToDelete.ShouldBeEmpty();
        plan.Deferred.Single().Machine.Metadata.Name.ShouldBe("waiting");
    }

    [Fact]
    public void An_old_revision_does_not_remediate()
    {
        var plan = RemediationPlan.Compute(Set(revision: "1"), Deployment(revision: "2"), [Marked("m", Now)]);

        plan.ToDelete.ShouldBeEmpty();
        plan.Deferred.Single().Condition.Reason.ShouldBe(MachineSetReasons.MachineCannotBeRemediated);
    }

    [Fact]
    public void A_standalone_set_remediates_every_marked_machine()
    {
        var plan = RemediationPlan.Compute(Set(), null, [Marked("a", Now), Marked("b", Now), Healthy("c")]);

        plan.ToDelete.Count.ShouldBe(2);
    }

    [Fact]
    public void Health_marks_set_health_and_ask_the_owner_once()
    {
        var unhealthy = new HealthVerdict(Healthy("m"), HealthState.Unhealthy, MachineReasons.HealthCheckUnhealthyNode, "Health check failed", null);
        var marks = MachineMarks.For(unhealthy, remediationAllowed: true);
        marks.Select(c => (c.Type, c.Status)).ShouldBe([(MachineConditions.HealthCheckSucceeded, ConditionStatus.False), (MachineConditions.OwnerRemediated, ConditionStatus.False)]);

        MachineMarks.For(unhealthy, remediationAllowed: false).Select(c => c.Type).ShouldBe([MachineConditions.HealthCheckSucceeded]);

        var alreadyMarked = new HealthVerdict(Marked("m", Now).With(MachineConditions.HealthCheckSucceeded, ConditionStatus.False, MachineReasons.HealthCheckUnhealthyNode, "Health check failed"),
            HealthState.Unhealthy, MachineReasons.HealthCheckUnhealthyNode, "Health check failed", null);
        MachineMarks.For(alreadyMarked, remediationAllowed: true).ShouldBeEmpty();

        var healthy = new HealthVerdict(Healthy("m"), HealthState.Healthy, null, null, null);
        MachineMarks.For(healthy, true).Single().Status.ShouldBe(ConditionStatus.True);
        MachineMarks.For(new HealthVerdict(Healthy("m"), HealthState.Pending, null, null, Now), true).ShouldBeEmpty();
    }
}
