using System.Text.Json.Nodes;
using ServerlessCapi.Reconcilers.Routing;

namespace ServerlessCapi.FleetTests;

public class HealthCheckWakeRuleTests
{
    private static JsonObject Obj(string apiVersion, string kind, string ns, string name, string? clusterName = null) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = new JsonObject { ["namespace"] = ns, ["name"] = name },
        ["spec"] = clusterName is null ? new JsonObject() : new JsonObject { ["clusterName"] = clusterName },
    };

    [Fact]
    public void A_machine_change_concerns_the_checks_of_its_cluster()
    {
        HealthCheckWakeRule.For(Obj("cluster.x-k8s.io/v1beta2", "Machine", "ns", "m1", "prod")).ShouldBe(new HealthCheckQuery("ns", "prod"));
    }

    [Fact]
    public void A_cluster_change_concerns_its_own_checks()
    {
        HealthCheckWakeRule.For(Obj("cluster.x-k8s.io/v1beta2", "Cluster", "ns", "prod")).ShouldBe(new HealthCheckQuery("ns", "prod"));
    }

    [Fact]
    public void Other_kinds_and_groups_concern_no_check()
    {
        HealthCheckWakeRule.For(Obj("cluster.x-k8s.io/v1beta2", "MachineSet", "ns", "ms", "prod")).ShouldBeNull();
        HealthCheckWakeRule.For(Obj("example.com/v1", "Machine", "ns", "m1", "prod")).ShouldBeNull();
        HealthCheckWakeRule.For(Obj("cluster.x-k8s.io/v1beta2", "Machine", "ns", "m1")).ShouldBeNull();
    }
}
