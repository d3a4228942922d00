using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineDeployments;
using static ServerlessCapi.FleetTests.FleetBuilders;

namespace ServerlessCapi.FleetTests;

public class RolloutPlannerTests
{
    private static SetReplicas Set(string name, int spec, int status, int available, int minute = 0) =>
        new(name, Now.AddMinutes(minute), spec, status, available);

    [Fact]
    public void A_new_set_grows_by_max_surge_first()
    {
        var plan = RolloutPlanner.RollingUpdate(3, new RolloutBounds(1, 0), Set("new", 0, 0, 0, 1), [Set("old", 3, 3, 3)]);

        plan.ShouldBe(new Dictionary<string, int> { ["new"] = 1 });
    }

    [Fact]
    public void Old_sets_shrink_only_once_new_machines_are_available()
    {
        var waiting = RolloutPlanner.RollingUpdate(3, new RolloutBounds(1, 0), Set("new", 1, 1, 0, 1), [Set("old", 3, 3, 3)]);
        var ready = RolloutPlanner.RollingUpdate(3, new RolloutBounds(1, 0), Set("new", 1, 1, 1, 1), [Set("old", 3, 3, 3)]);

        waiting.ShouldBeEmpty();
        ready.ShouldBe(new Dictionary<string, int> { ["old"] = 2 });
    }

    [Fact]
    public void Max_unavailable_lets_old_sets_shrink_before_new_machines_exist()
    {
        var plan = RolloutPlanner.RollingUpdate(3, new RolloutBounds(0, 1), Set("new", 0, 0, 0, 1), [Set("old", 3, 3, 3)]);

        plan.ShouldBe(new Dictionary<string, int> { ["old"] = 2 });
    }

    [Fact]
    public void Machines_already_being_deleted_count_against_the_surge()
    {
        // The old set was told 2 but still has 3 Machines (one deleting): no room to create yet.
        var plan = RolloutPlanner.RollingUpdate(3, new RolloutBounds(1, 0), Set("new", 1, 1, 1, 1), [Set("old", 2, 3, 2)]);

        plan.ShouldBeEmpty();
    }

    [Fact]
    public void A_new_set_larger_than_the_deployment_is_cut_back()
    {
        RolloutPlanner.RollingUpdate(2, new RolloutBounds(1, 0), Set("new", 5, 5, 5), []).ShouldBe(new Dictionary<string, int> { ["new"] = 2 });
    }

    [Fact]
    public void Old_sets_without_available_machines_shrink_first_at_no_cost_to_availability()
    {
        var plan = RolloutPlanner.RollingUpdate(3, new RolloutBounds(1, 0), Set("new", 0, 0, 0, 3),
            [Set("old-a", 3, 3, 3, 1), Set("old-b", 2, 2, 0, 2)]);

        plan.ShouldBe(new Dictionary<string, int> { ["old-b"] = 0 });
    }

    [Fact]
    public void Older_sets_shrink_before_newer_old_sets()
    {
        var plan = RolloutPlanner.RollingUpdate(4, new RolloutBounds(0, 2), Set("new", 0, 0, 0, 3),
            [Set("old-b", 2, 2, 2, 2), Set("old-a", 2, 2, 2, 1)]);

        plan.ShouldBe(new Dictionary<string, int> { ["old-a"] = 0 });
    }

    [Fact]
    public void A_stuck_rollout_with_unavailable_old_machines_gives_up_one_old_machine()
    {
        // maxUnavailable 0 and an old Machine that never becomes available: the worst-case rule alone would wait forever.
        var stuck = RolloutPlanner.RollingUpdate(2, new RolloutBounds(1, 0), Set("new", 1, 1, 1, 1), [Set("old", 2, 2, 1)]);

        stuck.ShouldBe(new Dictionary<string, int> { ["old"] = 1 });
    }

    [Theory]
    [InlineData(3, 1, 0, 1)]
    [InlineData(3, 1, 0, 3)]
    [InlineData(3, 0, 1, 2)]
    [InlineData(6, 1, 3, 2)]
    [InlineData(6, 3, 1, 1)]
    [InlineData(6, 10, 0, 2)]
    [InlineData(6, 0, 10, 2)]
    [InlineData(12, 3, 1, 3)]
    [InlineData(10, 2, 2, 4)]
    [InlineData(1, 1, 0, 2)]
    public void A_rolling_update_keeps_both_bounds_at_every_step_and_completes(int replicas, int maxSurge, int maxUnavailable, int ticksToAvailable)
    {
        var bounds = RolloutBounds.Resolve(maxSurge, maxUnavailable, replicas) is var (s, u) ? new RolloutBounds(s, Math.Min(u, replicas)) : default;
        var sim = new RolloutSimulation(replicas, bounds, ticksToAvailable);
        sim.Seed("v1");
        sim.ChangeTemplate("v2");

        for (var tick = 0; tick < 200 && !sim.Converged; tick++)
        {
            sim.Tick();
            sim.TotalMachines.ShouldBeLessThanOrEqualTo(replicas + bounds.MaxSurge, $"tick {tick}: too many Machines");
            sim.AvailableMachines.ShouldBeGreaterThanOrEqualTo(replicas - bounds.MaxUnavailable, $"tick {tick}: too few available");
        }

        sim.Converged.ShouldBeTrue();
    }

    [Fact]
    public void A_second_template_change_in_the_middle_of_a_rollout_still_completes_within_bounds()
    {
        var sim = new RolloutSimulation(6, new RolloutBounds(2, 1), ticksToAvailable: 2);
        sim.Seed("v1");
        sim.ChangeTemplate("v2");
        sim.Tick();
        sim.Tick();
        sim.ChangeTemplate("v3");

        for (var tick = 0; tick < 200 && !sim.Converged; tick++)
        {
            sim.Tick();
            sim.TotalMachines.ShouldBeLessThanOrEqualTo(8);
            sim.AvailableMachines.ShouldBeGreaterThanOrEqualTo(5);
        }

        sim.Converged.ShouldBeTrue();
        sim.Current!.Name.ShouldBe("v3");
    }

    [Theory]
    [InlineData(6, 12)]
    [InlineData(12, 4)]
    public void Scaling_the_deployment_during_a_rollout_still_completes(int from, int to)
    {
        var sim = new RolloutSimulation(from, new RolloutBounds(1, 1), ticksToAvailable: 2);
        sim.Seed("v1");
        sim.ChangeTemplate("v2");
        sim.Tick();
        sim.Tick();
        sim.Replicas = to;

        for (var tick = 0; tick < 300 && !sim.Converged; tick++) sim.Tick();

        sim.Converged.ShouldBeTrue();
        sim.Current!.Machines.Count.ShouldBe(to);
    }

    [Fact]
    public void On_delete_replaces_only_what_was_deleted()
    {
        var sim = new RolloutSimulation(3, default, ticksToAvailable: 1, onDelete: true);
        var old = sim.Seed("v1");
        sim.ChangeTemplate("v2");

        for (var i = 0; i < 5; i++) sim.Tick();
        old.Machines.Count.ShouldBe(3);
        sim.Current!.Machines.ShouldBeEmpty();

        old.Machines[0].Deleting = true; // a user deletes one old Machine
        for (var i = 0; i < 5; i++)
        {
            sim.Tick();
            sim.TotalMachines.ShouldBeLessThanOrEqualTo(3);
        }
        old.Machines.Count.ShouldBe(2);
        sim.Current.Machines.Count.ShouldBe(1);

        foreach (var m in old.Machines) m.Deleting = true;
        for (var i = 0; i < 10 && !sim.Converged; i++) sim.Tick();
        sim.Converged.ShouldBeTrue();
    }

    [Fact]
    public void On_delete_scales_old_sets_down_when_the_deployment_shrinks()
    {
        var plan = RolloutPlanner.OnDelete(2, Set("new", 1, 1, 1, 2), [Set("old", 3, 3, 3, 1)]);

        plan.ShouldBe(new Dictionary<string, int> { ["old"] = 1 });
    }

    [Fact]
    public void Bounds_round_surge_up_and_unavailable_down_and_never_both_zero()
    {
        RolloutBounds.Resolve("25%", "25%", 10).ShouldBe((3, 2));
        RolloutBounds.Resolve(0, 0, 5).ShouldBe((0, 1));
        RolloutBounds.Resolve("10%", "10%", 3).ShouldBe((1, 0));
    }

    [Fact]
    public void Bounds_follow_the_strategy_and_defaults()
    {
        var md = new MachineDeployment { Spec = new MachineDeploymentSpec { Replicas = 4 } };
        RolloutBounds.For(md).ShouldBe(new RolloutBounds(0, 0)); // no strategy yet: defaulting comes first
        CapiDefaults.Default(md);
        RolloutBounds.For(md).ShouldBe(new RolloutBounds(1, 0));
        md.Spec.Rollout!.Strategy!.RollingUpdate!.MaxUnavailable = 9;
        RolloutBounds.For(md).ShouldBe(new RolloutBounds(1, 4));
        md.Spec.Rollout.Strategy.Type = RolloutStrategyType.OnDelete;
        RolloutBounds.For(md).ShouldBe(new RolloutBounds(0, 0));
    }
}
