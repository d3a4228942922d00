using k8s.Models;

namespace ServerlessCapi.Api.Tests;

public class DefaultingTests
{
    private static MachineDeployment NewDeployment(string name = "md-0") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "default" },
        Spec = new MachineDeploymentSpec
        {
            ClusterName = "demo",
            Template = new MachineTemplateSpec { Spec = new MachineSpec { ClusterName = "demo", Version = "1.33.0" } },
        },
    };

    [Fact]
    public void MachineDeployment_gets_cluster_label_replicas_rolling_update_and_name_selector()
    {
        var md = NewDeployment();

        CapiDefaults.Apply(md).ShouldBeTrue();

        md.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("demo");
        md.Spec.Replicas.ShouldBe(1);
        md.Spec.Rollout!.Strategy!.Type.ShouldBe(RolloutStrategyType.RollingUpdate);
        md.Spec.Rollout.Strategy.RollingUpdate!.MaxSurge.ShouldBe(IntOrString.FromInt(1));
        md.Spec.Rollout.Strategy.RollingUpdate.MaxUnavailable.ShouldBe(IntOrString.FromInt(0));
        md.Spec.Selector.MatchLabels.ShouldBe(new Dictionary<string, string>
        {
            [CapiLabels.DeploymentName] = "md-0",
            [CapiLabels.ClusterName] = "demo",
        });
        md.Spec.Selector.Matches(md.Spec.Template.Metadata!.Labels).ShouldBeTrue();
        md.Spec.Template.Spec.Version.ShouldBe("v1.33.0");
    }

    [Fact]
    public void MachineDeployment_keeps_what_the_user_set()
    {
        var md = NewDeployment();
        md.Spec.Replicas = 0;
        md.Spec.Selector.MatchLabels = new() { ["pool"] = "a" };
        md.Spec.Rollout = new() { Strategy = new() { RollingUpdate = new() { MaxSurge = "25%" } } };

        CapiDefaults.Default(md);

        md.Spec.Replicas.ShouldBe(0);
        md.Spec.Selector.MatchLabels.ShouldNotContainKey(CapiLabels.DeploymentName);
        md.Spec.Selector.MatchLabels["pool"].ShouldBe("a");
        md.Spec.Template.Metadata!.Labels!.ShouldNotContainKey(CapiLabels.DeploymentName);
        md.Spec.Rollout.Strategy.RollingUpdate.MaxSurge.ShouldBe(IntOrString.FromString("25%"));
        md.Spec.Rollout.Strategy.RollingUpdate.MaxUnavailable.ShouldBe(IntOrString.FromInt(0));
    }

    [Fact]
    public void MachineDeployment_on_delete_strategy_gets_no_rolling_update_bounds()
    {
        var md = NewDeployment();
        md.Spec.Rollout = new() { Strategy = new() { Type = RolloutStrategyType.OnDelete } };

        CapiDefaults.Default(md);

        md.Spec.Rollout.Strategy.RollingUpdate.ShouldBeNull();
    }

    [Fact]
    public void Defaulting_twice_changes_nothing_the_second_time()
    {
        var md = NewDeployment();
        CapiDefaults.Apply(md).ShouldBeTrue();

        CapiDefaults.Apply(md).ShouldBeFalse();
    }

    [Theory]
    [InlineData(null, 3)]
    [InlineData(1, 3)]
    [InlineData(5, 5)]
    [InlineData(12, 10)]
    public void Autoscaler_annotations_decide_replicas_when_unset(int? oldReplicas, int expected)
    {
        var md = NewDeployment();
        md.Metadata.Annotations = new Dictionary<string, string>
        {
            [CapiAnnotations.AutoscalerMinSize] = "3",
            [CapiAnnotations.AutoscalerMaxSize] = "10",
        };
        var old = oldReplicas is null ? null : NewDeployment();
        old?.Spec.Replicas = oldReplicas;

        CapiDefaults.Default(md, old);

        md.Spec.Replicas.ShouldBe(expected);
    }

    [Fact]
    public void Invalid_autoscaler_annotations_are_rejected()
    {
        var md = NewDeployment();
        md.Metadata.Annotations = new Dictionary<string, string>
        {
            [CapiAnnotations.AutoscalerMinSize] = "three",
            [CapiAnnotations.AutoscalerMaxSize] = "10",
        };

        Should.Throw<FormatException>(() => CapiDefaults.Default(md));
    }

    [Fact]
    public void MachineSet_selects_its_own_name_hashed_when_too_long_for_a_label()
    {
        var longName = string.Concat(Enumerable.Repeat("machineSetName", 12));
        var ms = new MachineSet
        {
            Metadata = new V1ObjectMeta { Name = longName },
            Spec = new MachineSetSpec { ClusterName = "demo" },
        };

        CapiDefaults.Default(ms);

        ms.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("demo");
        ms.Spec.Replicas.ShouldBe(1);
        ms.Spec.Selector.MatchLabels![CapiLabels.SetName].ShouldBe(LabelValues.Format(longName));
        ms.Spec.Template.Metadata!.Labels![CapiLabels.SetName].ShouldBe(LabelValues.Format(longName));
        ms.Spec.Selector.MatchLabels.ShouldNotContainKey(CapiLabels.ClusterName);
    }

    [Fact]
    public void MachineHealthCheck_gets_startup_timeout_and_remediation_bound()
    {
        var mhc = new MachineHealthCheck { Metadata = new V1ObjectMeta { Name = "mhc" }, Spec = new() { ClusterName = "demo" } };

        CapiDefaults.Default(mhc);

        mhc.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("demo");
        mhc.Spec.Checks!.NodeStartupTimeoutSeconds.ShouldBe(600);
        mhc.Spec.Remediation!.TriggerIf!.UnhealthyLessThanOrEqualTo.ShouldBe(IntOrString.FromString("100%"));
    }

    [Fact]
    public void MachineHealthCheck_with_a_range_gets_no_percentage_bound()
    {
        var mhc = new MachineHealthCheck
        {
            Spec = new() { ClusterName = "demo", Remediation = new() { TriggerIf = new() { UnhealthyInRange = "[1-3]" } } },
        };

        CapiDefaults.Default(mhc);

        mhc.Spec.Remediation.TriggerIf.UnhealthyLessThanOrEqualTo.ShouldBeNull();
    }

    [Fact]
    public void Machine_gets_cluster_label_version_prefix_and_node_deletion_timeout()
    {
        var machine = new Machine { Spec = new() { ClusterName = "demo", Version = "1.33.0" } };

        CapiDefaults.Default(machine);

        machine.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("demo");
        machine.Spec.Version.ShouldBe("v1.33.0");
        machine.Spec.Deletion!.NodeDeletionTimeoutSeconds.ShouldBe(10);
    }

    [Fact]
    public void KubeadmControlPlane_gets_one_replica_and_a_rolling_update_with_surge_one()
    {
        var kcp = new KubeadmControlPlane { Spec = new() { Version = "1.33.0" } };

        CapiDefaults.Default(kcp);

        kcp.Spec.Replicas.ShouldBe(1);
        kcp.Spec.Version.ShouldBe("v1.33.0");
        kcp.Spec.Rollout!.Strategy!.Type.ShouldBe(RolloutStrategyType.RollingUpdate);
        kcp.Spec.Rollout.Strategy.RollingUpdate!.MaxSurge.ShouldBe(IntOrString.FromInt(1));
    }

    [Fact]
    public void KubeadmControlPlane_keeps_replicas_and_surge_zero()
    {
        var kcp = new KubeadmControlPlane
        {
            Spec = new() { Replicas = 3, Version = "v1.33.0", Rollout = new() { Strategy = new() { RollingUpdate = new() { MaxSurge = 0 } } } },
        };

        CapiDefaults.Default(kcp);

        kcp.Spec.Replicas.ShouldBe(3);
        kcp.Spec.Rollout.Strategy.RollingUpdate.MaxSurge.ShouldBe(IntOrString.FromInt(0));
    }

    [Fact]
    public void Cluster_topology_version_gets_a_v_prefix_and_kinds_without_defaults_are_untouched()
    {
        var cluster = new Cluster { Spec = new() { Topology = new() { ClassRef = new() { Name = "quick-start" }, Version = "1.33.0" } } };
        var config = new KubeadmConfig { Metadata = new V1ObjectMeta { Name = "c" } };

        CapiDefaults.Apply(cluster).ShouldBeTrue();
        CapiDefaults.Apply(config).ShouldBeFalse();

        cluster.Spec.Topology.Version.ShouldBe("v1.33.0");
    }

    [Fact]
    public void Quickstart_deployment_defaults_keep_its_selector_and_add_the_cluster_label()
    {
        var md = Manifests.Load<MachineDeployment>(File.ReadAllText(TestFiles.Sample("quickstart.yaml"))).Single();

        CapiDefaults.Default(md);

        md.Spec.Selector.MatchLabels![CapiLabels.DeploymentName].ShouldBe("demo-md-0");
        md.Spec.Selector.MatchLabels[CapiLabels.ClusterName].ShouldBe("demo");
        md.Spec.Selector.Matches(md.Spec.Template.Metadata!.Labels).ShouldBeTrue();
    }
}
