using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Reconcilers.Topology;

namespace ServerlessCapi.Reconcilers.Tests.Topology;

/// <summary>CAPI's upgrade order on a managed topology, decided from observed versions alone.</summary>
public sealed class UpgradeSequenceTests
{
    private static TopologyScope Scope(string target, string? cpSpec, string? cpStatus, params (string Topology, string Version, string[] MachineVersions, Dictionary<string, string>? Annotations)[] mds)
    {
        var cluster = new Api.Cluster
        {
            Metadata = new V1ObjectMeta { Name = "demo", NamespaceProperty = "ns" },
            Spec = new ClusterSpec
            {
                Topology = new ClusterTopology
                {
                    ClassRef = new ClusterClassRef { Name = "cc" },
                    Version = target,
                    Workers = new WorkersTopology
                    {
                        MachineDeployments = [.. mds.Select(m => new MachineDeploymentTopology
                        {
                            Class = "w", Name = m.Topology, Metadata = m.Annotations is null ? null : new ObjectMeta { Annotations = m.Annotations },
                        })],
                    },
                },
            },
        };
        var s = new TopologyScope(cluster, new ClusterClass());
        if (cpSpec is not null)
        {
            var cp = new JsonObject { ["kind"] = "KubeadmControlPlane", ["spec"] = new JsonObject { ["version"] = cpSpec } };
            if (cpStatus is not null) cp["status"] = new JsonObject { ["version"] = cpStatus };
            s.CurrentControlPlane = cp;
        }
        var machines = new List<Api.Machine>();
        foreach (var (topology, version, machineVersions, _) in mds)
        {
            if (version.Length == 0) continue;
            var mdName = $"demo-{topology}";
            s.CurrentMachineDeployments[topology] = new MachineDeployment
            {
                Metadata = new V1ObjectMeta { Name = mdName },
                Spec = new MachineDeploymentSpec { Template = new MachineTemplateSpec { Spec = new MachineSpec { Version = version } } },
            };
            machines.AddRange(machineVersions.Select((v, i) => new Api.Machine
            {
                Metadata = new V1ObjectMeta { Name = $"{mdName}-{i}", Labels = new Dictionary<string, string> { [CapiLabels.DeploymentName] = mdName } },
                Spec = new MachineSpec { Version = v },
            }));
        }
        s.Machines = machines;
        return s;
    }

    [Fact]
    public void A_new_cluster_gets_the_topology_version_everywhere()
    {
        var s = Scope("v1.33.0", null, null, ("md-0", "", [], null));
        UpgradeSequence.Decide(s);
        s.ControlPlaneVersion.ShouldBe("v1.33.0");
        s.MachineDeploymentVersions["md-0"].ShouldBe("v1.33.0");
        s.IsUpgrading.ShouldBeFalse();
    }

    [Fact]
    public void The_control_plane_upgrades_first_and_workers_wait_for_it()
    {
        var s = Scope("v1.34.0", "v1.33.0", "v1.33.0", ("md-0", "v1.33.0", ["v1.33.0"], null));
        UpgradeSequence.Decide(s);
        s.ControlPlaneVersion.ShouldBe("v1.34.0");
        s.ControlPlaneUpgrading.ShouldBeTrue();
        s.MachineDeploymentVersions["md-0"].ShouldBe("v1.33.0");
        s.PendingUpgradeMachineDeployments.ShouldBe(["demo-md-0"]);

        // Still rolling out: the control plane's Machines are not all on the new version yet.
        s = Scope("v1.34.0", "v1.34.0", "v1.33.0", ("md-0", "v1.33.0", ["v1.33.0"], null));
        UpgradeSequence.Decide(s);
        s.MachineDeploymentVersions["md-0"].ShouldBe("v1.33.0");
    }

    [Fact]
    public void Workers_upgrade_one_at_a_time_once_the_control_plane_runs_the_version()
    {
        var s = Scope("v1.34.0", "v1.34.0", "v1.34.0", ("md-0", "v1.33.0", ["v1.33.0"], null), ("md-1", "v1.33.0", ["v1.33.0"], null));
        UpgradeSequence.Decide(s);
        s.MachineDeploymentVersions["md-0"].ShouldBe("v1.34.0");
        s.MachineDeploymentVersions["md-1"].ShouldBe("v1.33.0");
        s.UpgradingMachineDeployments.ShouldBe(["demo-md-0"]);
        s.PendingUpgradeMachineDeployments.ShouldBe(["demo-md-1"]);

        // md-0 done rolling out: md-1 goes next.
        s = Scope("v1.34.0", "v1.34.0", "v1.34.0", ("md-0", "v1.34.0", ["v1.34.0"], null), ("md-1", "v1.33.0", ["v1.33.0"], null));
        UpgradeSequence.Decide(s);
        s.MachineDeploymentVersions["md-1"].ShouldBe("v1.34.0");
    }

    [Fact]
    public void Defer_skips_one_and_hold_stops_the_sequence()
    {
        var defer = new Dictionary<string, string> { [TopologyMetadata.DeferUpgradeAnnotation] = "" };
        var hold = new Dictionary<string, string> { [TopologyMetadata.HoldUpgradeSequenceAnnotation] = "" };
        var s = Scope("v1.34.0", "v1.34.0", "v1.34.0", ("md-0", "v1.33.0", ["v1.33.0"], defer), ("md-1", "v1.33.0", ["v1.33.0"], null));
        UpgradeSequence.Decide(s);
        s.DeferredMachineDeployments.ShouldBe(["demo-md-0"]);
        s.MachineDeploymentVersions["md-1"].ShouldBe("v1.34.0");

        s = Scope("v1.34.0", "v1.34.0", "v1.34.0", ("md-0", "v1.33.0", ["v1.33.0"], hold), ("md-1", "v1.33.0", ["v1.33.0"], null));
        UpgradeSequence.Decide(s);
        s.DeferredMachineDeployments.ShouldBe(["demo-md-0", "demo-md-1"]);
        s.MachineDeploymentVersions.Values.ShouldAllBe(v => v == "v1.33.0");
    }

    [Fact]
    public void A_new_version_waits_while_workers_still_roll_out_and_new_workers_wait_for_the_control_plane()
    {
        var s = Scope("v1.35.0", "v1.34.0", "v1.34.0", ("md-0", "v1.34.0", ["v1.33.0", "v1.34.0"], null));
        UpgradeSequence.Decide(s);
        s.ControlPlaneVersion.ShouldBe("v1.34.0");
        s.ControlPlanePendingUpgrade.ShouldBeTrue();

        s = Scope("v1.34.0", "v1.34.0", "v1.33.0", ("md-new", "", [], null));
        UpgradeSequence.Decide(s);
        s.PendingCreateMachineDeployments.ShouldBe(["md-new"]);
        s.MachineDeploymentVersions.ShouldNotContainKey("md-new");
    }
}
