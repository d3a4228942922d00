using System.Diagnostics;
using System.Text.RegularExpressions;
using ServerlessCapi.Cli.Up;

namespace ServerlessCapi.Integration.Tests.Cli;

/// <summary><c>scapi describe cluster</c> as a user runs it: the CLI process against the embedded API server over
/// real HTTP, with real objects, its output read back line by line.</summary>
public sealed class DescribeCommandTests(DescribeClusterFixture cluster) : IClassFixture<DescribeClusterFixture>
{
    private const string Ns = DescribeClusterFixture.Ns;

    private static Task<(int Code, string Out, string Err)> DescribeAsync(IReadOnlyDictionary<string, string?> environment, params string[] args) =>
        DescribeInAsync(Ns, environment, args);

    private static async Task<(int Code, string Out, string Err)> DescribeInAsync(string ns, IReadOnlyDictionary<string, string?> environment,
        params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ServerlessCapi.Cli.dll"));
        foreach (var a in (string[])["describe", "cluster", DescribeClusterFixture.Cluster, "-n", ns, .. args]) psi.ArgumentList.Add(a);
        psi.Environment.Remove("KUBECONFIG");
        foreach (var (key, value) in environment)
        {
            if (value is null) psi.Environment.Remove(key);
            else psi.Environment[key] = value;
        }
        using var p = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Describe_prints_the_clusters_tree_with_replicas_and_readiness()
    {
        var (code, output, err) = await DescribeAsync(new Dictionary<string, string?>(), "--kubeconfig", cluster.Kubeconfig);

        code.ShouldBe(0, err);
        DescribeOutput.Names(output).ShouldBe([
            $"Cluster {Ns}/it",
            $"├─DevCluster {Ns}/it",
            $"├─KubeadmControlPlane {Ns}/it-cp, v1.33.0",
            "│ └─2 Machines...",
            "└─Workers",
            $"  └─MachineDeployment {Ns}/it-md-0, v1.33.0",
            $"    ├─Machine {Ns}/it-md-0-abc-1, v1.33.0",
            $"    └─Machine {Ns}/it-md-0-abc-2, v1.33.0",
            $"      └─DevMachine {Ns}/it-md-0-abc-2",
        ]);
        var rows = DescribeOutput.Rows(output);
        Cells(rows[0]).ShouldBe(["4/4", "3", "3", "4", "False", "NotAvailable", "WorkersAvailable: 1 of 2 Machines available"]);
        Cells(rows[2]).ShouldBe(["2/2", "2", "2", "2", "True", "Available", ""]);
        Cells(rows[3]).ShouldBe(["", "2", "2", "2", "True", "Ready", "See it-cp-1, it-cp-2"]);
        Cells(rows[5]).ShouldBe(["2/2", "1", "1", "2", "True", "Available", ""]);
        Cells(rows[7]).ShouldBe(["1", "0", "0", "1", "False", "NotReady", "NodeHealthy: node not ready"]);
        Cells(rows[8]).ShouldBe(["", "", "", "", "False", "WaitingForVM", "VM is booting"]);
        // The conditions changed a minute before the fixture finished; the test may run some time later.
        rows.Where(r => r["STATUS"].Length > 0).ShouldAllBe(r => Regex.IsMatch(r["SINCE"], @"^([6-9]\d|1[01]\d)s$|^\d+m(\d+s)?$"));
    }

    [Fact]
    public async Task Describe_options_show_machine_sets_every_machine_its_parts_and_conditions()
    {
        var (code, output, err) = await DescribeAsync(new Dictionary<string, string?>(), "--kubeconfig", cluster.Kubeconfig,
            "--show-machinesets", "--grouping=false", "--echo", "--show-conditions", "Machine/it-md-0-abc-2+");

        code.ShouldBe(0, err);
        DescribeOutput.Names(output).ShouldBe([
            $"Cluster {Ns}/it",
            $"├─DevCluster {Ns}/it",
            $"├─KubeadmControlPlane {Ns}/it-cp, v1.33.0",
            $"│ ├─Machine {Ns}/it-cp-1, v1.33.0",
            $"│ │ ├─DevMachine {Ns}/it-cp-1",
            $"│ │ └─KubeadmConfig {Ns}/it-cp-1",
            $"│ └─Machine {Ns}/it-cp-2, v1.33.0",
            $"│   ├─DevMachine {Ns}/it-cp-2",
            $"│   └─KubeadmConfig {Ns}/it-cp-2",
            "└─Workers",
            $"  └─MachineDeployment {Ns}/it-md-0, v1.33.0",
            $"    └─MachineSet {Ns}/it-md-0-abc, v1.33.0",
            $"      ├─Machine {Ns}/it-md-0-abc-1, v1.33.0",
            $"      │ ├─DevMachine {Ns}/it-md-0-abc-1",
            $"      │ └─KubeadmConfig {Ns}/it-md-0-abc-1",
            $"      └─Machine {Ns}/it-md-0-abc-2, v1.33.0",
            "        │           ├─Available",
            "        │           └─Ready",
            $"        ├─DevMachine {Ns}/it-md-0-abc-2",
            $"        └─KubeadmConfig {Ns}/it-md-0-abc-2",
        ]);
    }

    [Fact]
    public async Task Without_a_kubeconfig_describe_uses_the_running_up()
    {
        var root = Path.Combine(cluster.Dir, "checkout-with-up");
        // This test process stands in for the running up: alive, with the cluster's kubeconfig.
        using var registration = RunningUp.ForThisProcess(root, cluster.Kubeconfig, "http://127.0.0.1:1")
            .Register(Path.Combine(root, ".scapi", "running"));

        var (code, output, err) = await DescribeAsync(new Dictionary<string, string?> { ["SCAPI_ROOT"] = root });

        code.ShouldBe(0, err);
        err.ShouldContain($"using the running ./scapi up (process {Environment.ProcessId}): {cluster.Kubeconfig}");
        DescribeOutput.Names(output)[0].ShouldBe($"Cluster {Ns}/it");
    }

    [Fact]
    public async Task Without_any_management_cluster_describe_names_the_ways_to_give_one()
    {
        var empty = Path.Combine(cluster.Dir, "checkout-without-up");
        Directory.CreateDirectory(empty);

        var (code, output, err) = await DescribeAsync(new Dictionary<string, string?> { ["SCAPI_ROOT"] = empty });

        code.ShouldBe(2);
        output.ShouldBeEmpty();
        err.Trim().ShouldBe("scapi describe: no management cluster: pass --kubeconfig PATH, set KUBECONFIG, or start one with ./scapi up (in another terminal)");
    }

    [Fact]
    public async Task An_unknown_cluster_is_reported_not_found()
    {
        var (code, _, err) = await DescribeInAsync("elsewhere", new Dictionary<string, string?> { ["KUBECONFIG"] = cluster.Kubeconfig });

        code.ShouldBe(1);
        err.Trim().ShouldBe("scapi describe: Cluster elsewhere/it not found");
    }

    private static string[] Cells(Dictionary<string, string> row) =>
        [row["REPLICAS"], row["AVAILABLE"], row["READY"], row["UP TO DATE"], row["STATUS"], row["REASON"], row["MESSAGE"]];
}
