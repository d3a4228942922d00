using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Functions.Tests.Relay;

public class EventRoutesTests
{
    [Fact]
    public void A_machine_wakes_its_controlling_machine_set_and_its_cluster_but_not_other_owners()
    {
        var routes = EventRoutes.ForClusterApi();
        var machine = new ObjectEventData
        {
            ApiVersion = "cluster.x-k8s.io/v1beta2",
            Kind = "Machine",
            Namespace = "ns",
            Name = "m",
            Uid = "u-m",
            Owners =
            [
                new OwnerKey("cluster.x-k8s.io/v1beta2", "MachineSet", "ms", "u-ms", Controller: true),
                new OwnerKey("v1", "ConfigMap", "cm", "u-cm", Controller: false),
            ],
            Labels = new Dictionary<string, string> { [EventRoutes.ClusterNameLabel] = "c1" },
        };

        routes.TargetsFor(machine).ShouldBe(
        [
            new RouteTarget("MachineSet", "ns", "ms", "u-ms"),
            new RouteTarget("Cluster", "ns", "c1"),
            new RouteTarget("MachineHealthCheck", "ns", "", Selector: $"{EventRoutes.ClusterNameLabel}=c1"),
        ], ignoreOrder: true);
        routes.WorkflowFor("Machine").ShouldBe("Machine");
        routes.WorkflowFor("ConfigMap").ShouldBeNull();
    }

    [Fact]
    public void Reconcilers_extend_the_table_with_their_own_routes()
    {
        var routes = new EventRoutes().Reconcile("Widget", "widget-workflow").WakeOwners("Gadget", "Widget");
        var gadget = new ObjectEventData
        {
            ApiVersion = "example.io/v1",
            Kind = "Gadget",
            Name = "g",
            Uid = "u-g",
            Owners = [new OwnerKey("example.io/v1", "Widget", "w", "u-w", Controller: false)],
        };

        routes.TargetsFor(gadget).ShouldHaveSingleItem().ShouldBe(new RouteTarget("Widget", null, "w", "u-w"));
        routes.WorkflowFor("Widget").ShouldBe("widget-workflow");
    }

    [Fact]
    public void A_machine_wakes_the_infrastructure_machine_and_bootstrap_config_waiting_for_it()
    {
        var routes = EventRoutes.ForClusterApi();
        var machine = new ObjectEventData
        {
            ApiVersion = "cluster.x-k8s.io/v1beta2",
            Kind = "Machine",
            Namespace = "ns",
            Name = "m",
            Uid = "u-m",
            Refs = [new ObjectRef("DevMachine", "m-infra"), new ObjectRef("KubeadmConfig", "m-boot"), new ObjectRef("Unknown", "x")],
        };

        routes.TargetsFor(machine).ShouldBe(
        [
            new RouteTarget("DevMachine", "ns", "m-infra"),
            new RouteTarget("KubeadmConfig", "ns", "m-boot"),
        ], ignoreOrder: true);
    }
}
