using ServerlessCapi.Cli.Describe;
using static ServerlessCapi.Integration.Tests.Cli.DescribeObjects;

namespace ServerlessCapi.Integration.Tests.Cli;

/// <summary>The tree <c>scapi describe cluster</c> prints, in clusterctl's v1beta2 layout: which rows appear under
/// which options, their glyphs, counters and conditions.</summary>
public sealed class DescribeLayoutTests
{
    private static readonly TimeSpan Five = TimeSpan.FromMinutes(5);

    /// <summary>Three healthy control-plane Machines, a MachineDeployment with one healthy and one unready worker
    /// whose VM is still booting; every other part is ready.</summary>
    private static ClusterSnapshot Sample(string clusterMessage = "WorkersAvailable: 1 of 2 Machines available") => Snapshot(
        Cluster("demo", new ReplicaCounters(5, 5, 4, 4, 5), C($"Available=False/NotAvailable:{clusterMessage}")),
        Infra("DevCluster", "demo", C("Ready=True/Ready")),
        ControlPlane("demo-cp", new ReplicaCounters(3, 3, 3, 3, 3), C("Available=True/Available"), C("Ready=True/Ready"),
            C("RollingOut=False/NotRollingOut"), C("ScalingUp=True/ScalingUp:Scaling up from 2 to 3")),
        [Deployment("demo-md-0", new ReplicaCounters(2, 2, 1, 1, 2), C("Available=True/Available"))],
        [Set("demo-md-0-x", "demo-md-0", new ReplicaCounters(2, 2, 1, 1, 2))],
        [
            Machine("demo-cp-b", "KubeadmControlPlane/demo-cp", Healthy(TimeSpan.FromMinutes(7))),
            Machine("demo-cp-a", "KubeadmControlPlane/demo-cp", Healthy(Five)),
            Machine("demo-cp-c", "KubeadmControlPlane/demo-cp", Healthy(TimeSpan.FromMinutes(6))),
            Machine("demo-md-0-x-1", "MachineSet/demo-md-0-x", Healthy(Five)),
            Machine("demo-md-0-x-2", "MachineSet/demo-md-0-x", C("Available=False/NotReady"), C("Ready=False/NotReady:NodeHealthy: node not ready"),
                C("UpToDate=True/UpToDate")),
        ],
        new()
        {
            ["demo-cp-a"] = [Infra("DevMachine", "demo-cp-a", C("Ready=True/Ready")), Infra("KubeadmConfig", "demo-cp-a", C("Ready=True/Ready"))],
            ["demo-md-0-x-1"] = [Infra("DevMachine", "demo-md-0-x-1", C("Ready=True/Ready")), Infra("KubeadmConfig", "demo-md-0-x-1", C("Ready=True/Ready"))],
            ["demo-md-0-x-2"] =
            [
                Infra("DevMachine", "demo-md-0-x-2", C("Ready=False/WaitingForVM:VM is booting")),
                Infra("KubeadmConfig", "demo-md-0-x-2", C("Ready=True/Ready")),
            ],
        });

    private static string Render(ClusterSnapshot s, DescribeOptions? o = null) => TreePrinter.Render(ClusterTreeBuilder.Build(s, o ?? new DescribeOptions()), Now);

    [Fact]
    public void By_default_same_state_machines_are_grouped_and_parts_that_repeat_their_machine_are_hidden()
    {
        var text = Render(Sample());

        text.Split('\n')[0].ShouldBe("NAME                                         REPLICAS  AVAILABLE  READY  UP TO DATE  STATUS  REASON        SINCE  MESSAGE");
        DescribeOutput.Names(text).ShouldBe([
            "Cluster ns/demo",
            "├─DevCluster ns/demo",
            "├─KubeadmControlPlane ns/demo-cp, v1.33.0",
            "│ └─3 Machines...",
            "└─Workers",
            "  └─MachineDeployment ns/demo-md-0, v1.33.0",
            "    ├─Machine ns/demo-md-0-x-1, v1.33.0",
            "    └─Machine ns/demo-md-0-x-2, v1.33.0",
            "      └─DevMachine ns/demo-md-0-x-2",
        ]);
        var rows = DescribeOutput.Rows(text);
        rows[0].ShouldBe(Row("Cluster ns/demo", "5/5", "4", "4", "5", "False", "NotAvailable", "5m", "WorkersAvailable: 1 of 2 Machines available"));
        rows[1].ShouldBe(Row("├─DevCluster ns/demo", "", "", "", "", "True", "Ready", "5m", ""));
        rows[2].ShouldBe(Row("├─KubeadmControlPlane ns/demo-cp, v1.33.0", "3/3", "3", "3", "3", "True", "Available", "5m", ""));
        // A group counts its Machines, shows the earliest transition, and names the first two.
        rows[3].ShouldBe(Row("│ └─3 Machines...", "", "3", "3", "3", "True", "Ready", "7m", "See demo-cp-a, demo-cp-b, ..."));
        rows[4].ShouldBe(Row("└─Workers", "", "", "", "", "", "", "", ""));
        rows[5].ShouldBe(Row("  └─MachineDeployment ns/demo-md-0, v1.33.0", "2/2", "1", "1", "2", "True", "Available", "5m", ""));
        rows[6].ShouldBe(Row("    ├─Machine ns/demo-md-0-x-1, v1.33.0", "1", "1", "1", "1", "True", "Ready", "5m", ""));
        rows[7].ShouldBe(Row("    └─Machine ns/demo-md-0-x-2, v1.33.0", "1", "0", "0", "1", "False", "NotReady", "5m", "NodeHealthy: node not ready"));
        rows[8].ShouldBe(Row("      └─DevMachine ns/demo-md-0-x-2", "", "", "", "", "False", "WaitingForVM", "5m", "VM is booting"));
    }

    [Fact]
    public void Without_grouping_every_machine_has_its_row()
    {
        DescribeOutput.Names(Render(Sample(), new DescribeOptions(Grouping: false))).ShouldBe([
            "Cluster ns/demo",
            "├─DevCluster ns/demo",
            "├─KubeadmControlPlane ns/demo-cp, v1.33.0",
            "│ ├─Machine ns/demo-cp-a, v1.33.0",
            "│ ├─Machine ns/demo-cp-b, v1.33.0",
            "│ └─Machine ns/demo-cp-c, v1.33.0",
            "└─Workers",
            "  └─MachineDeployment ns/demo-md-0, v1.33.0",
            "    ├─Machine ns/demo-md-0-x-1, v1.33.0",
            "    └─Machine ns/demo-md-0-x-2, v1.33.0",
            "      └─DevMachine ns/demo-md-0-x-2",
        ]);
    }

    [Fact]
    public void Echo_shows_the_parts_of_every_machine_on_its_own_row()
    {
        DescribeOutput.Names(Render(Sample(), new DescribeOptions(Echo: true, Grouping: false))).ShouldBe([
            "Cluster ns/demo",
            "├─DevCluster ns/demo",
            "├─KubeadmControlPlane ns/demo-cp, v1.33.0",
            "│ ├─Machine ns/demo-cp-a, v1.33.0",
            "│ │ ├─DevMachine ns/demo-cp-a",
            "│ │ └─KubeadmConfig ns/demo-cp-a",
            "│ ├─Machine ns/demo-cp-b, v1.33.0",
            "│ └─Machine ns/demo-cp-c, v1.33.0",
            "└─Workers",
            "  └─MachineDeployment ns/demo-md-0, v1.33.0",
            "    ├─Machine ns/demo-md-0-x-1, v1.33.0",
            "    │ ├─DevMachine ns/demo-md-0-x-1",
            "    │ └─KubeadmConfig ns/demo-md-0-x-1",
            "    └─Machine ns/demo-md-0-x-2, v1.33.0",
            "      ├─DevMachine ns/demo-md-0-x-2",
            "      └─KubeadmConfig ns/demo-md-0-x-2",
        ]);
    }

    [Fact]
    public void Machine_sets_sit_between_their_deployment_and_machines_with_counters_and_no_condition()
    {
        var rows = DescribeOutput.Rows(Render(Sample(), new DescribeOptions(ShowMachineSets: true)));

        rows.Select(r => r["NAME"]).Skip(5).ShouldBe([
            "  └─MachineDeployment ns/demo-md-0, v1.33.0",
            "    └─MachineSet ns/demo-md-0-x, v1.33.0",
            "      ├─Machine ns/demo-md-0-x-1, v1.33.0",
            "      └─Machine ns/demo-md-0-x-2, v1.33.0",
            "        └─DevMachine ns/demo-md-0-x-2",
        ]);
        rows[6].ShouldBe(Row("    └─MachineSet ns/demo-md-0-x, v1.33.0", "2/2", "1", "1", "2", "", "", "", ""));
    }

    [Fact]
    public void Templates_come_first_under_the_control_plane_and_each_deployment()
    {
        DescribeOutput.Names(Render(Sample(), new DescribeOptions(ShowTemplates: true))).ShouldBe([
            "Cluster ns/demo",
            "├─DevCluster ns/demo",
            "├─KubeadmControlPlane ns/demo-cp, v1.33.0",
            "│ ├─Templates",
            "│ │ └─DevMachineTemplate ns/demo-cp",
            "│ └─3 Machines...",
            "└─Workers",
            "  └─MachineDeployment ns/demo-md-0, v1.33.0",
            "    ├─Templates",
            "    │ ├─DevMachineTemplate ns/demo-md-0",
            "    │ └─KubeadmConfigTemplate ns/demo-md-0",
            "    ├─Machine ns/demo-md-0-x-1, v1.33.0",
            "    └─Machine ns/demo-md-0-x-2, v1.33.0",
            "      └─DevMachine ns/demo-md-0-x-2",
        ]);
    }

    [Fact]
    public void Show_conditions_of_a_kind_lists_them_under_its_row_indented_past_its_children()
    {
        var rows = DescribeOutput.Rows(Render(Sample(), new DescribeOptions(ShowConditions: "KubeadmControlPlane")));

        rows.Select(r => r["NAME"]).Skip(2).Take(6).ShouldBe([
            "├─KubeadmControlPlane ns/demo-cp, v1.33.0",
            "│ │           ├─Available",
            "│ │           ├─Ready",
            "│ │           ├─RollingOut",
            "│ │           └─ScalingUp",
            "│ └─3 Machines...",
        ]);
        // The object's row keeps its counters; its conditions are on their own rows instead.
        rows[2].ShouldBe(Row("├─KubeadmControlPlane ns/demo-cp, v1.33.0", "3/3", "3", "3", "3", "", "", "", ""));
        rows[6].ShouldBe(Row("│ │           └─ScalingUp", "", "", "", "", "True", "ScalingUp", "5m", "Scaling up from 2 to 3"));
    }

    [Fact]
    public void A_plus_suffix_keeps_only_conditions_out_of_their_normal_state_and_kind_name_picks_one_object()
    {
        var nonZero = DescribeOutput.Names(Render(Sample(), new DescribeOptions(ShowConditions: "KubeadmControlPlane+")));
        nonZero.Skip(3).Take(3).ShouldBe(["│ │           ├─Available", "│ │           ├─Ready", "│ │           └─ScalingUp"]);

        var one = DescribeOutput.Names(Render(Sample(), new DescribeOptions(ShowConditions: "machine/demo-md-0-x-2")));
        one.Skip(7).ShouldBe([
            "    └─Machine ns/demo-md-0-x-2, v1.33.0",
            "      │           ├─Available",
            "      │           ├─Ready",
            "      │           └─UpToDate",
            "      └─DevMachine ns/demo-md-0-x-2",
        ]);
    }

    [Fact]
    public void A_multi_line_message_continues_under_the_tree_and_long_lines_wrap()
    {
        var longLine = string.Join(' ', Enumerable.Repeat("word", 30));
        var rows = DescribeOutput.Rows(Render(Sample($"* WorkersAvailable: {longLine}\n* ControlPlaneAvailable: fine")));

        rows.Take(4).Select(r => (r["NAME"], r["MESSAGE"])).ShouldBe([
            ("Cluster ns/demo", "* WorkersAvailable: " + string.Join(' ', Enumerable.Repeat("word", 16))),
            ("│", "  " + string.Join(' ', Enumerable.Repeat("word", 14))),
            ("│", "* ControlPlaneAvailable: fine"),
            ("├─DevCluster ns/demo", ""),
        ]);
    }

    [Fact]
    public void Deleting_objects_are_flagged_and_machines_nobody_controls_go_under_workers_other()
    {
        var s = Sample();
        var orphan = Machine("stray", "MachineSet/gone", Healthy()) with { Deleting = true };
        var text = Render(s with { Machines = [.. s.Machines, orphan] });

        DescribeOutput.Names(text).Skip(4).ShouldBe([
            "└─Workers",
            "  ├─MachineDeployment ns/demo-md-0, v1.33.0",
            "  │ ├─Machine ns/demo-md-0-x-1, v1.33.0",
            "  │ └─Machine ns/demo-md-0-x-2, v1.33.0",
            "  │   └─DevMachine ns/demo-md-0-x-2",
            "  └─Other",
            "    └─!! DELETED !! Machine ns/stray, v1.33.0",
        ]);
    }

    [Fact]
    public void A_cluster_without_workers_has_no_workers_row()
    {
        var s = Sample();
        DescribeOutput.Names(Render(s with { MachineDeployments = [], MachineSets = [], Machines = s.Machines.Take(3).ToList() }))
            .ShouldBe(["Cluster ns/demo", "├─DevCluster ns/demo", "└─KubeadmControlPlane ns/demo-cp, v1.33.0", "  └─3 Machines..."]);
    }

    [Fact]
    public void The_workflow_column_sits_before_the_message()
    {
        var tree = ClusterTreeBuilder.Build(Sample(), new DescribeOptions());
        tree.Workflow = "Running";

        var text = TreePrinter.Render(tree, Now, showWorkflow: true);

        var rows = DescribeOutput.Rows(text, [.. DescribeOutput.Columns[..8], "WORKFLOW", "MESSAGE"]);
        rows[0]["WORKFLOW"].ShouldBe("Running");
        rows[0]["MESSAGE"].ShouldBe("WorkersAvailable: 1 of 2 Machines available");
    }

    [Fact]
    public void A_narrow_terminal_cuts_the_message_and_keeps_the_tree()
    {
        var text = TreePrinter.Render(ClusterTreeBuilder.Build(Sample(), new DescribeOptions()), Now, maxWidth: 140);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines.ShouldAllBe(l => l.Length <= 140);
        lines.ShouldContain(l => l.StartsWith("      └─DevMachine ns/demo-md-0-x-2 ", StringComparison.Ordinal));
        lines[1].ShouldEndWith("…");
    }

    private static Dictionary<string, string> Row(params string[] cells) =>
        DescribeOutput.Columns.Zip(cells).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal);
}
