using System.Text.Json.Nodes;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Routing;

namespace ServerlessCapi.Reconcilers.Tests.Routing;

public class WakeRulesTests
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void A_DevMachine_wakes_itself_and_its_controlling_Machine()
    {
        var devMachine = Parse("""
        {"apiVersion":"infrastructure.cluster.x-k8s.io/v1beta2","kind":"DevMachine",
         "metadata":{"namespace":"ns","name":"m1","uid":"u-dm",
           "labels":{"cluster.x-k8s.io/cluster-name":"c1"},
           "ownerReferences":[{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Machine","name":"m1","uid":"u-m","controller":true}]}}
        """);

        var targets = WakeRules.For(devMachine);

        targets.Select(t => t.Key).ShouldBe(
        [
            new ObjectKey("DevMachine", "ns", "m1", "u-dm"),
            new ObjectKey("Machine", "ns", "m1", "u-m"),
        ]);
    }

    [Fact]
    public void A_Machine_wakes_its_owner_its_Cluster_by_label_and_the_objects_waiting_on_it()
    {
        var machine = Parse("""
        {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Machine",
         "metadata":{"namespace":"ns","name":"m1","uid":"u-m",
           "labels":{"cluster.x-k8s.io/cluster-name":"c1"},
           "ownerReferences":[
             {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineSet","name":"ms","uid":"u-ms","controller":true},
             {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","name":"other","uid":"u-other"}]},
         "spec":{"clusterName":"c1",
           "infrastructureRef":{"apiGroup":"infrastructure.cluster.x-k8s.io","kind":"DevMachine","name":"m1-infra"},
           "bootstrap":{"configRef":{"apiGroup":"bootstrap.cluster.x-k8s.io","kind":"KubeadmConfig","name":"m1-boot"}}}}
        """);

        var targets = WakeRules.For(machine);

        targets.Select(t => (t.Kind, t.Name, t.Uid)).ShouldBe(
        [
            ("Machine", "m1", "u-m"),
            ("MachineSet", "ms", "u-ms"),
            ("Cluster", "c1", (string?)null),
            ("DevMachine", "m1-infra", null),
            ("KubeadmConfig", "m1-boot", null),
        ]);
    }

    [Fact]
    public void The_Cluster_uid_comes_from_an_owner_reference_when_one_names_it()
    {
        var machine = Parse("""
        {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Machine",
         "metadata":{"namespace":"ns","name":"m1","uid":"u-m","labels":{"cluster.x-k8s.io/cluster-name":"c1"},
           "ownerReferences":[{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","name":"c1","uid":"u-c1"}]}}
        """);

        WakeRules.For(machine).Single(t => t.Kind == "Cluster").Key.ShouldBe(new ObjectKey("Cluster", "ns", "c1", "u-c1"));
    }

    [Fact]
    public void A_Cluster_wakes_its_infrastructure_and_control_plane_but_not_its_Machines()
    {
        var cluster = Parse("""
        {"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"Cluster","metadata":{"namespace":"ns","name":"c1","uid":"u-c"},
         "spec":{"infrastructureRef":{"apiGroup":"infrastructure.cluster.x-k8s.io","kind":"DevCluster","name":"c1"},
                 "controlPlaneRef":{"apiGroup":"controlplane.cluster.x-k8s.io","kind":"KubeadmControlPlane","name":"c1-cp"}}}
        """);

        WakeRules.For(cluster).Select(t => $"{t.Kind}/{t.Name}").ShouldBe(["Cluster/c1", "DevCluster/c1", "KubeadmControlPlane/c1-cp"]);
    }

    [Fact]
    public void A_bootstrap_Secret_wakes_only_its_controlling_KubeadmConfig()
    {
        var secret = Parse("""
        {"apiVersion":"v1","kind":"Secret","metadata":{"namespace":"ns","name":"m1","uid":"u-s",
          "labels":{"cluster.x-k8s.io/cluster-name":"c1"},
          "ownerReferences":[{"apiVersion":"bootstrap.cluster.x-k8s.io/v1beta2","kind":"KubeadmConfig","name":"m1","uid":"u-kc","controller":true}]}}
        """);

        WakeRules.For(secret).Select(t => t.Key).ShouldBe([new ObjectKey("KubeadmConfig", "ns", "m1", "u-kc")]);
    }

    [Fact]
    public void Kinds_of_other_API_groups_and_owners_that_are_not_controllers_wake_nothing()
    {
        var foreign = Parse("""
        {"apiVersion":"example.com/v1","kind":"Machine","metadata":{"namespace":"ns","name":"x","uid":"u-x",
          "ownerReferences":[{"apiVersion":"cluster.x-k8s.io/v1beta2","kind":"MachineSet","name":"ms","uid":"u-ms"}]}}
        """);

        WakeRules.For(foreign).ShouldBeEmpty();
    }

    [Fact]
    public async Task Targets_named_only_are_resolved_by_lookup_and_missing_ones_dropped()
    {
        WakeTarget[] targets =
        [
            new("Machine", "ns", "m1", "u-m", "self"),
            new("Cluster", "ns", "c1", null, "label"),
            new("DevMachine", "ns", "gone", null, "ref"),
        ];
        var asked = new List<string>();

        var keys = await WakeRules.ResolveAsync(targets, (kind, ns, name, _) =>
        {
            asked.Add($"{kind}/{ns}/{name}");
            return Task.FromResult(name == "c1" ? "u-c1" : null);
        });

        keys.ShouldBe([new ObjectKey("Machine", "ns", "m1", "u-m"), new ObjectKey("Cluster", "ns", "c1", "u-c1")]);
        asked.ShouldBe(["Cluster/ns/c1", "DevMachine/ns/gone"]);
    }
}
