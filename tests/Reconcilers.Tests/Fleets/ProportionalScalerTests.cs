using ServerlessCapi.Reconcilers.MachineDeployments;
using static ServerlessCapi.FleetTests.FleetBuilders;

namespace ServerlessCapi.FleetTests;

public class ProportionalScalerTests
{
    private static SetReplicas Set(string name, int spec, int minute, int? maxReplicas = null, int available = 0) =>
        new(name, Now.AddMinutes(minute), spec, spec, available, maxReplicas);

    [Fact]
    public void A_single_active_set_takes_the_new_size()
    {
        ProportionalScaler.Plan(5, 1, true, Set("new", 3, 2), [Set("old", 0, 1)], 3).ShouldBe(new Dictionary<string, int> { ["new"] = 5 });
    }

    [Fact]
    public void Without_active_sets_the_newest_takes_the_size()
    {
        ProportionalScaler.Plan(2, 1, true, null, [Set("a", 0, 1), Set("b", 0, 2)], 0).ShouldBe(new Dictionary<string, int> { ["b"] = 2 });
    }

    [Fact]
    public void Growth_is_shared_in_proportion_to_size()
    {
        // 10 replicas + 1 surge split 6/5 (max-replicas 11); the deployment grows to 20 (+1 surge = 21).
        var plan = ProportionalScaler.Plan(20, 1, true, Set("new", 5, 2, 11), [Set("old", 6, 1, 11)], 11);

        plan["old"].ShouldBe(11);
        plan["new"].ShouldBe(10);
        (plan["old"] + plan["new"]).ShouldBe(21);
    }

    [Fact]
    public void Shrinking_is_shared_and_never_goes_below_zero()
    {
        var plan = ProportionalScaler.Plan(4, 0, true, Set("new", 4, 2, 8), [Set("old", 4, 1, 8)], 8);

        plan.Values.ShouldAllBe(v => v >= 0);
        plan.GetValueOrDefault("old", 4).ShouldBe(2);
        plan.GetValueOrDefault("new", 4).ShouldBe(2);
    }

    [Fact]
    public void A_saturated_new_set_empties_the_old_ones()
    {
        ProportionalScaler.Plan(3, 1, true, Set("new", 3, 2, available: 3), [Set("old", 2, 1)], 5).ShouldBe(new Dictionary<string, int> { ["old"] = 0 });
    }

    [Fact]
    public void On_delete_does_not_spread_scaling_over_several_sets()
    {
        ProportionalScaler.Plan(9, 0, false, Set("new", 3, 2), [Set("old", 3, 1)], 6).ShouldBeEmpty();
    }

    [Fact]
    public void Scaling_to_zero_empties_every_set()
    {
        var plan = ProportionalScaler.Plan(0, 1, true, Set("new", 2, 2, 5), [Set("old", 3, 1, 5)], 5);

        plan.OrderBy(p => p.Key).ShouldBe(new Dictionary<string, int> { ["new"] = 0, ["old"] = 0 });
    }
}
