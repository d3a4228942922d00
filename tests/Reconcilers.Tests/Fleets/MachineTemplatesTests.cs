using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.MachineDeployments;
using ServerlessCapi.Reconcilers.Rollout;
using static ServerlessCapi.FleetTests.FleetBuilders;

namespace ServerlessCapi.FleetTests;

public class MachineTemplatesTests
{
    private static MachineSpec Spec(string version = "v1.33.0", string infra = "workers-v1") => new()
    {
        ClusterName = "c1",
        Version = version,
        InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = "DevMachineTemplate", Name = infra },
        Bootstrap = new MachineBootstrap
        {
            ConfigRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Bootstrap, Kind = "KubeadmConfigTemplate", Name = "workers" },
        },
    };

    private static MachineDeployment Deployment(MachineSpec spec, DateTime? rolloutAfter = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = "md", NamespaceProperty = "ns", Uid = "md-uid" },
        Spec = new MachineDeploymentSpec
        {
            ClusterName = "c1",
            Replicas = 3,
            Template = new MachineTemplateSpec { Spec = spec },
            Rollout = rolloutAfter is null ? null : new MachineDeploymentRolloutSpec { After = rolloutAfter },
        },
    };

    private static MachineSet Set(string name, MachineSpec spec, int replicas, DateTime created) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, CreationTimestamp = created },
        Spec = new MachineSetSpec { Replicas = replicas, Template = new MachineTemplateSpec { Spec = spec } },
    };

    [Fact]
    public void Only_rollout_fields_make_a_template_out_of_date()
    {
        var current = Spec();
        var desired = Spec();
        desired.MinReadySeconds = 30;
        desired.Taints = [new MachineTaint { Key = "k", Effect = "NoSchedule" }];
        MachineTemplates.UpToDate(current, desired).ShouldBeTrue();

        MachineTemplates.Differences(current, Spec(version: "v1.34.0")).ShouldBe(["Version v1.33.0, v1.34.0 required"]);
        MachineTemplates.Differences(current, Spec(infra: "workers-v2")).ShouldBe(["DevMachine is not up-to-date"]);
    }

    [Fact]
    public void The_set_name_follows_the_template_and_is_stable()
    {
        var a = MachineTemplates.SetName(Deployment(Spec()), Now);
        MachineTemplates.SetName(Deployment(Spec()), Now.AddDays(1)).ShouldBe(a);
        MachineTemplates.SetName(Deployment(Spec(version: "v1.34.0")), Now).ShouldNotBe(a);
        a.ShouldStartWith("md-");
        a.Length.ShouldBeLessThanOrEqualTo(63);
    }

    [Fact]
    public void A_past_rollout_after_gives_the_template_a_new_set_name()
    {
        var before = MachineTemplates.SetName(Deployment(Spec(), Now.AddHours(1)), Now);
        var after = MachineTemplates.SetName(Deployment(Spec(), Now.AddHours(1)), Now.AddHours(2));

        before.ShouldBe(MachineTemplates.SetName(Deployment(Spec()), Now));
        after.ShouldNotBe(before);
    }

    [Fact]
    public void Classify_picks_the_matching_set_with_most_replicas()
    {
        var md = Deployment(Spec(version: "v1.34.0"));
        var sets = new[]
        {
            Set("old", Spec(), 3, Now.AddHours(-2)),
            Set("new-small", Spec(version: "v1.34.0"), 1, Now.AddHours(-1)),
            Set("new-big", Spec(version: "v1.34.0"), 2, Now.AddMinutes(-5)),
        };

        var (current, old) = MachineTemplates.Classify(md, sets, Now);

        current!.Metadata.Name.ShouldBe("new-big");
        old.Select(s => s.Metadata.Name).ShouldBe(["old", "new-small"], ignoreOrder: true);
    }

    [Fact]
    public void After_rollout_after_only_a_set_created_since_then_is_current()
    {
        var md = Deployment(Spec(), Now.AddMinutes(-10));
        var (none, _) = MachineTemplates.Classify(md, [Set("old", Spec(), 3, Now.AddHours(-1))], Now);
        var (fresh, _) = MachineTemplates.Classify(md, [Set("old", Spec(), 3, Now.AddHours(-1)), Set("fresh", Spec(), 0, Now.AddMinutes(-1))], Now);

        none.ShouldBeNull();
        fresh!.Metadata.Name.ShouldBe("fresh");
    }
}
