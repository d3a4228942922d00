using ServerlessCapi.Reconcilers.Admin;

namespace ServerlessCapi.Reconcilers.Tests.Admin;

public class ClusterTreeTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 12, 0, 0, TimeSpan.Zero);

    private static ObjectView View(string kind, string name, string? status = "True", string? reason = null, string? message = null,
        TimeSpan? age = null, (string Kind, string Name)? controller = null, bool controlPlane = false)
    {
        var conditions = status is null
            ? new List<ConditionView>()
            : [new ConditionView(kind is "Cluster" or "MachineDeployment" or "KubeadmControlPlane" ? "Available" : "Ready",
                status, reason, message, Now - (age ?? TimeSpan.FromMinutes(3)))];
        return new ObjectView(kind, "ns", name, $"uid-{name}", null, false, conditions)
        {
            Owners = controller is { } c ? [new OwnerView(c.Kind, c.Name, $"uid-{c.Name}", true)] : [],
            Labels = controlPlane ? new Dictionary<string, string> { [ClusterTree.ControlPlaneLabel] = "" } : new Dictionary<string, string>(),
        };
    }

    private static TreeNode SampleTree(bool showMachineSets = false) => ClusterTree.Build(
        View("Cluster", "c1", "False", "NotAvailable", "* WorkersAvailable: 1 available replica, 2 required"),
        View("DevCluster", "c1"),
        View("KubeadmControlPlane", "c1-cp", age: TimeSpan.FromSeconds(42)),
        [View("MachineDeployment", "c1-md", "False", "NotAvailable", age: TimeSpan.FromHours(3))],
        [View("MachineSet", "c1-md-x", controller: ("MachineDeployment", "c1-md"))],
        [
            View("Machine", "c1-cp-a", controller: ("KubeadmControlPlane", "c1-cp"), controlPlane: true),
            View("Machine", "c1-md-x-1", controller: ("MachineSet", "c1-md-x")),
            View("Machine", "c1-md-x-2", controller: ("MachineSet", "c1-md-x")),
            View("Machine", "c1-md-x-3", "False", "NotReady", "* InfrastructureReady: VM failed to boot", controller: ("MachineSet", "c1-md-x")),
            View("Machine", "lonely", "Unknown", "ReadyUnknown"),
        ],
        showMachineSets);

    [Fact]
    public void The_tree_puts_control_plane_machines_under_the_control_plane_and_workers_under_their_deployment()
    {
        var tree = SampleTree();

        tree.Label.ShouldBe("Cluster/c1");
        tree.Children.Select(c => c.Label).ShouldBe(["ClusterInfrastructure - DevCluster/c1", "ControlPlane - KubeadmControlPlane/c1-cp", "Workers"]);
        tree.Children[1].Children.Select(c => c.Label).ShouldBe(["Machine/c1-cp-a"]);
        var workers = tree.Children[2].Children;
        workers.Select(c => c.Label).ShouldBe(["MachineDeployment/c1-md", "Machine/lonely"]);
        workers[0].Children.Select(c => c.Label).ShouldBe(["Machine/c1-md-x-1", "Machine/c1-md-x-2", "Machine/c1-md-x-3"]);
    }

    [Fact]
    public void MachineSets_appear_between_deployment_and_machines_on_request()
    {
        var md = SampleTree(showMachineSets: true).Children[2].Children[0];

        md.Children.Single().Label.ShouldBe("MachineSet/c1-md-x");
        md.Children.Single().Children.Count.ShouldBe(3);
    }

    [Fact]
    public void Rendering_matches_the_clusterctl_layout_and_groups_machines_in_the_same_state()
    {
        var text = ClusterTreeRenderer.Render(SampleTree(), Now);

        text.ShouldBe("""
            NAME                                        READY    SEVERITY  REASON        SINCE  MESSAGE
            Cluster/c1                                  False    Warning   NotAvailable  3m     * WorkersAvailable: 1 available replica, 2 required
            ├─ClusterInfrastructure - DevCluster/c1     True                             3m
            ├─ControlPlane - KubeadmControlPlane/c1-cp  True                             42s
            │ └─Machine/c1-cp-a                         True                             3m
            └─Workers
              ├─MachineDeployment/c1-md                 False    Warning   NotAvailable  3h
              │ ├─2 Machines...                         True                             3m     See c1-md-x-1, c1-md-x-2
              │ └─Machine/c1-md-x-3                     False    Warning   NotReady      3m     * InfrastructureReady: VM failed to boot
              └─Machine/lonely                          Unknown  Info      ReadyUnknown  3m

            """.Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_grouping_every_machine_has_its_row_and_the_workflow_column_shows_on_request()
    {
        var tree = ClusterTree.Build(View("Cluster", "c1"), null, null, [], [],
            [View("Machine", "m1"), View("Machine", "m2")], workflowOf: o => o.Kind == "Machine" ? "Running" : null);

        var text = ClusterTreeRenderer.Render(tree, Now, new TreeRenderOptions(Grouping: false, ShowWorkflow: true));

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].ShouldBe("NAME            READY  SEVERITY  REASON  SINCE  WORKFLOW  MESSAGE");
        lines.Skip(1).Select(l => l.PadRight(16)[..16].TrimEnd()).ShouldBe(["Cluster/c1", "└─Workers", "  ├─Machine/m1", "  └─Machine/m2"]);
        lines[3].ShouldContain("Running");
    }

    [Fact]
    public void Multi_line_messages_continue_on_the_following_rows()
    {
        var tree = ClusterTree.Build(View("Cluster", "c1", "False", "NotAvailable", "* A: one\n* B: two"), null, null, [], [], []);

        var lines = ClusterTreeRenderer.Render(tree, Now).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        lines.Length.ShouldBe(3);
        lines[1].ShouldEndWith("* A: one");
        lines[2].Trim().ShouldBe("* B: two");
    }

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(125, "2m")]
    [InlineData(3 * 3600 + 5, "3h")]
    [InlineData(3 * 86400, "3d")]
    public void Ages_read_like_kubectl(int seconds, string expected) =>
        ClusterTreeRenderer.Age(Now - TimeSpan.FromSeconds(seconds), Now).ShouldBe(expected);
}
