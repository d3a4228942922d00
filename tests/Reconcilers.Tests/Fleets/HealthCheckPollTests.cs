using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineHealthChecks;

namespace ServerlessCapi.FleetTests;

public class HealthCheckPollTests
{
    private static MachineHealthCheckChecks Checks(params int[] timeouts) => new()
    {
        NodeStartupTimeoutSeconds = 600,
        UnhealthyNodeConditions = [.. timeouts.Select(t => new UnhealthyNodeCondition { Type = "Ready", Status = "False", TimeoutSeconds = t })],
    };

    [Fact]
    public void Nodes_are_looked_at_four_times_within_the_shortest_condition_timeout()
    {
        var options = new MachineHealthCheckOptions();

        options.NodePollFor(Checks(600, 300)).ShouldBe(TimeSpan.FromSeconds(75));
    }

    [Fact]
    public void Short_timeouts_poll_no_more_often_than_the_configured_interval()
    {
        var options = new MachineHealthCheckOptions { NodePollInterval = TimeSpan.FromSeconds(30) };

        options.NodePollFor(Checks(60)).ShouldBe(TimeSpan.FromSeconds(30));
        options.NodePollFor(Checks(0)).ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Long_timeouts_and_checks_without_node_conditions_still_look_within_the_maximum()
    {
        var options = new MachineHealthCheckOptions { MaxNodePollInterval = TimeSpan.FromMinutes(5) };

        options.NodePollFor(Checks(3600)).ShouldBe(TimeSpan.FromMinutes(5));
        options.NodePollFor(Checks()).ShouldBe(TimeSpan.FromMinutes(5));
        options.NodePollFor(null).ShouldBe(TimeSpan.FromMinutes(5));
    }
}
