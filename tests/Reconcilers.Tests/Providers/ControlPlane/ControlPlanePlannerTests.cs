using ServerlessCapi.Providers.ControlPlane;

namespace ServerlessCapi.Reconcilers.Tests.Providers.ControlPlane;

public class ControlPlanePlannerTests
{
    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static ControlPlaneMachine M(string name, int minute, bool healthy = true, bool upToDate = true, bool deleting = false) =>
        new(name, T0.AddMinutes(minute), deleting, upToDate, healthy);

    [Fact]
    public void The_first_machine_initialises_and_nothing_more_happens_until_it_has()
    {
        ControlPlanePlan.For(3, initialized: false, []).ShouldBe(new ControlPlanePlan(PlanAction.Create, "Creating the first control plane Machine", Init: true));

        var waiting = ControlPlanePlan.For(3, initialized: false, [M("a", 0, healthy: false)]);

        waiting.Action.ShouldBe(PlanAction.Wait);
        waiting.Message.ShouldContain("initialize");
    }

    [Fact]
    public void Scale_up_adds_one_joining_machine_at_a_time_once_the_others_are_healthy()
    {
        var up = ControlPlanePlan.For(3, true, [M("a", 0)]);
        up.Action.ShouldBe(PlanAction.Create);
        up.Init.ShouldBeFalse();

        ControlPlanePlan.For(3, true, [M("a", 0), M("b", 1, healthy: false)]).Action.ShouldBe(PlanAction.Wait);
        ControlPlanePlan.For(3, true, [M("a", 0), M("b", 1), M("c", 2)]).Action.ShouldBe(PlanAction.None);
    }

    [Fact]
    public void Scale_down_deletes_outdated_machines_first_then_the_oldest()
    {
        ControlPlanePlan.For(1, true, [M("a", 0), M("b", 1), M("c", 2, upToDate: false)])
            .ShouldBe(new ControlPlanePlan(PlanAction.Delete, "Scaling down from 3 to 1 replicas", Machine: "c"));
        ControlPlanePlan.For(2, true, [M("b", 1), M("a", 0), M("c", 2)]).Machine.ShouldBe("a");
    }

    [Fact]
    public void Nothing_happens_while_a_machine_is_being_deleted()
    {
        var plan = ControlPlanePlan.For(3, true, [M("a", 0, deleting: true), M("b", 1)]);

        plan.Action.ShouldBe(PlanAction.Wait);
        plan.Message.ShouldContain("a");
    }

    [Fact]
    public void A_rollout_surges_by_one_and_removes_the_oldest_outdated_machine_once_the_new_one_is_healthy()
    {
        var old = new[] { M("a", 0, upToDate: false), M("b", 1, upToDate: false), M("c", 2, upToDate: false) };

        ControlPlanePlan.For(3, true, old).Action.ShouldBe(PlanAction.Create);
        ControlPlanePlan.For(3, true, [.. old, M("d", 3, healthy: false)]).Action.ShouldBe(PlanAction.Wait);
        ControlPlanePlan.For(3, true, [.. old, M("d", 3)]).ShouldBe(new ControlPlanePlan(PlanAction.Delete, "Scaling down from 4 to 3 replicas", Machine: "a"));
        ControlPlanePlan.For(3, true, [M("b", 1, upToDate: false), M("c", 2, upToDate: false), M("d", 3)]).Action.ShouldBe(PlanAction.Create);
    }
}
