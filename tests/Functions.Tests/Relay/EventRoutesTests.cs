using ServerlessCapi.Api;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Reconcilers.Kinds;

namespace ServerlessCapi.Functions.Tests.Relay;

public class EventRoutesTests
{
    /// <summary>Machine m of MachineSet ms in cluster c1, namespace ns.</summary>
    private static ObjectEventData MachineOfSet() => new()
    {
        ApiVersion = "cluster.x-k8s.io/v1beta2",
        Kind = "Machine",
        Namespace = "ns",
        Name = "m",
        Uid = "u-m",
        Owners = [new OwnerKey("cluster.x-k8s.io/v1beta2", "MachineSet", "ms", "u-ms", Controller: true)],
        Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = "c1" },
    };

    [Fact]
    public void A_machine_wakes_its_controlling_machine_set_and_its_cluster_but_not_other_owners()
    {
        var routes = ReconciledKinds.Routes();
        var machine = MachineOfSet() with
        {
            Owners =
            [
                new OwnerKey("cluster.x-k8s.io/v1beta2", "MachineSet", "ms", "u-ms", Controller: true),
                new OwnerKey("v1", "ConfigMap", "cm", "u-cm", Controller: false),
            ],
        };

        routes.TargetsFor(machine).ShouldBe(
        [
            new RouteTarget("MachineSet", "ns", "ms", "u-ms"),
            new RouteTarget("Cluster", "ns", "c1"),
            new RouteTarget("MachineHealthCheck", "ns", "", Selector: $"{CapiLabels.ClusterName}=c1"),
        ], ignoreOrder: true);
        routes.WorkflowFor("Machine").ShouldBe("Machine");
        routes.WorkflowFor("ConfigMap").ShouldBeNull();
    }

    [Fact]
    public void A_machine_wakes_its_cluster_and_health_checks_only_for_what_they_aggregate_and_nobody_for_timestamps()
    {
        var routes = ReconciledKinds.Routes();
        var machine = MachineOfSet();

        routes.TargetsFor(machine with { Changed = [ObjectAspects.Status] }).ShouldHaveSingleItem().Kind.ShouldBe("MachineSet");
        routes.TargetsFor(machine with { Changed = [CapiAspects.Availability.Name, ObjectAspects.Status] }).Select(t => t.Kind)
            .ShouldBe(["MachineSet", "Cluster", "MachineHealthCheck"], ignoreOrder: true);
        routes.TargetsFor(machine with { Changed = [ObjectAspects.Meta] }).Count.ShouldBe(3);
        routes.TargetsFor(machine with { Changed = [] }).ShouldBeEmpty();
        routes.TargetsFor(machine with { Changed = [], Deleting = true, Deleted = true }).Count.ShouldBe(3);
    }

    [Fact]
    public void A_cluster_wakes_what_waits_on_it_only_at_milestones_and_spec_changes()
    {
        var routes = ReconciledKinds.Routes();
        var cluster = new ObjectEventData
        {
            ApiVersion = "cluster.x-k8s.io/v1beta2",
            Kind = "Cluster",
            Namespace = "ns",
            Name = "c1",
            Uid = "u-c1",
            Refs = [new ObjectRef("DevCluster", "c1"), new ObjectRef("KubeadmControlPlane", "c1-cp")],
        };
        var waiting = new[]
        {
            new RouteTarget("DevCluster", "ns", "c1"),
            new RouteTarget("KubeadmControlPlane", "ns", "c1-cp"),
            new RouteTarget("KubeadmConfig", "ns", "", Selector: $"{CapiLabels.ClusterName}=c1"),
            new RouteTarget("DevMachine", "ns", "", Selector: $"{CapiLabels.ClusterName}=c1"),
            new RouteTarget("Machine", "ns", "", Selector: $"{CapiLabels.ClusterName}=c1"),
            new RouteTarget("MachinePool", "ns", "", Selector: $"{CapiLabels.ClusterName}=c1"),
        };

        routes.TargetsFor(cluster with { Changed = [CapiAspects.Availability.Name, ObjectAspects.Status] }).ShouldBeEmpty();
        routes.TargetsFor(cluster with { Changed = [CapiAspects.Initialization.Name, ObjectAspects.Status] }).ShouldBe(waiting, ignoreOrder: true);
        routes.TargetsFor(cluster with { Changed = [ObjectAspects.Meta] }).ShouldBe(waiting, ignoreOrder: true);
        routes.TargetsFor(cluster).ShouldBe(waiting, ignoreOrder: true);
    }

    [Fact]
    public void Reconcilers_extend_the_table_with_their_own_routes()
    {
        var routes = new EventRoutes().Reconcile("Widget", "widget-workflow").Wake(new WakeRule("Gadget", WakeVia.Owner, "Widget", []));
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
        var routes = ReconciledKinds.Routes();
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
