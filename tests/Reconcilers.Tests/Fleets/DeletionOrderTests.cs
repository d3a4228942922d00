using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineSets;
using static ServerlessCapi.FleetTests.FleetBuilders;

namespace ServerlessCapi.FleetTests;

public class DeletionOrderTests
{
    private static IEnumerable<string> Names(IEnumerable<Machine> machines) => machines.Select(m => m.Metadata.Name);

    [Fact]
    public void Random_order_prefers_deleting_then_annotated_then_unhealthy_then_breaks_ties_by_name()
    {
        var machines = new[]
        {
            Healthy("e"),
            Healthy("d").Annotated(CapiAnnotations.DeleteMachine),
            Healthy("c").With(MachineConditions.HealthCheckSucceeded, ConditionStatus.False),
            Healthy("b").Deleting(),
            Healthy("a"),
            Bare("f", node: null), // no Node yet: not healthy
        };

        var picked = DeletionOrder.Pick(machines, 6, null, Now);

        Names(picked).ShouldBe(["b", "d", "c", "f", "a", "e"]);
    }

    [Fact]
    public void Picks_only_as_many_as_asked_and_nothing_for_zero()
    {
        var machines = new[] { Healthy("a"), Healthy("b"), Healthy("c") };

        DeletionOrder.Pick(machines, 2, MachineSetDeletionOrder.Random, Now).Count.ShouldBe(2);
        DeletionOrder.Pick(machines, 0, MachineSetDeletionOrder.Random, Now).ShouldBeEmpty();
        DeletionOrder.Pick(machines, 9, MachineSetDeletionOrder.Random, Now).Count.ShouldBe(3);
    }

    [Fact]
    public void Oldest_deletes_the_oldest_healthy_machines_first()
    {
        var machines = new[] { Healthy("young", Now.AddMinutes(-5)), Healthy("old", Now.AddDays(-20)), Healthy("middle", Now.AddDays(-1)) };

        Names(DeletionOrder.Pick(machines, 3, MachineSetDeletionOrder.Oldest, Now)).ShouldBe(["old", "middle", "young"]);
    }

    [Fact]
    public void Newest_deletes_the_newest_healthy_machines_first()
    {
        var machines = new[] { Healthy("young", Now.AddMinutes(-5)), Healthy("old", Now.AddDays(-20)), Healthy("middle", Now.AddDays(-1)) };

        Names(DeletionOrder.Pick(machines, 3, MachineSetDeletionOrder.Newest, Now)).ShouldBe(["young", "middle", "old"]);
    }

    [Fact]
    public void Even_a_very_old_healthy_machine_goes_after_an_unhealthy_one()
    {
        var machines = new[] { Healthy("ancient", Now.AddYears(-3)), Healthy("sick", Now).With(MachineConditions.NodeHealthy, ConditionStatus.False) };

        Names(DeletionOrder.Pick(machines, 1, MachineSetDeletionOrder.Oldest, Now)).ShouldBe(["sick"]);
    }

    [Fact]
    public void Unknown_order_is_rejected()
    {
        Should.Throw<ArgumentException>(() => DeletionOrder.Pick([Healthy("a")], 1, "Sideways", Now));
    }
}
