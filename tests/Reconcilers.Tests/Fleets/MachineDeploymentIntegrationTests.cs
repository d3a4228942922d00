using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.FleetTests.Harness;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.MachineSets;
using ServerlessCapi.Testing;
using Xunit.Abstractions;

namespace ServerlessCapi.FleetTests;

/// <summary>MachineDeployments end to end: rollouts within their bounds, OnDelete, deletion.</summary>
public sealed class MachineDeploymentIntegrationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private FleetEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await FleetEnvironment.StartAsync(output, bootTime: TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private async Task CreateDeploymentAsync(int replicas, MachineDeploymentRolloutStrategy strategy)
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        await _env.Kube.CreateAsync(new MachineDeployment
        {
            Metadata = new V1ObjectMeta { Name = "md", NamespaceProperty = _env.Namespace },
            Spec = new MachineDeploymentSpec
            {
                ClusterName = "c1",
                Replicas = replicas,
                Rollout = new MachineDeploymentRolloutSpec { Strategy = strategy },
                Template = FleetEnvironment.Template("c1", "v1.33.0", "workers"),
            },
        });
    }

    private Task<IReadOnlyList<Machine>> MachinesAsync() => _env.MachinesAsync($"{CapiLabels.DeploymentName}=md");

    private Task WaitForRolledOutAsync(int replicas, string version) => _env.WaitForRolledOutAsync("md", replicas, version, Timeout);

    private Task<MachineDeployment> SetVersionAsync(string version) =>
        _env.Kube.MergePatchAsync<MachineDeployment>(_env.Namespace, "md", new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["version"] = version } } },
        });

    [Theory]
    [InlineData(3, 1, 0)]
    [InlineData(4, 0, 1)]
    public async Task A_version_change_rolls_every_machine_within_max_surge_and_max_unavailable(int replicas, int maxSurge, int maxUnavailable)
    {
        await CreateDeploymentAsync(replicas, new MachineDeploymentRolloutStrategy
        {
            Type = RolloutStrategyType.RollingUpdate,
            RollingUpdate = new MachineRollingUpdate { MaxSurge = maxSurge, MaxUnavailable = maxUnavailable },
        });
        await WaitForRolledOutAsync(replicas, "v1.33.0");
        var before = (await MachinesAsync()).Select(m => m.Metadata.Name).ToHashSet();

        await using var sampler = new FleetSampler(MachinesAsync);
        await SetVersionAsync("v1.34.0");
        await WaitForRolledOutAsync(replicas, "v1.34.0");
        var samples = await sampler.StopAsync();

        samples.Count(s => s.Mixed).ShouldBeGreaterThan(0, "no sample caught the rollout in progress");
        samples.Max(s => s.Total).ShouldBeLessThanOrEqualTo(replicas + maxSurge);
        samples.Min(s => s.Available).ShouldBeGreaterThanOrEqualTo(replicas - maxUnavailable);
        (await MachinesAsync()).Select(m => m.Metadata.Name).ShouldNotContain(n => before.Contains(n));
        var md = (await _env.Kube.GetAsync<MachineDeployment>(_env.Namespace, "md"))!;
        md.Metadata.Annotations![CapiAnnotations.Revision].ShouldBe("2");
        md.Status.Phase.ShouldBe(MachineDeploymentPhase.Running);
        Conditions.Get(md.Status, MachineDeploymentConditions.Available)!.Status.ShouldBe(ConditionStatus.True);
        Conditions.Get(md.Status, MachineDeploymentConditions.RollingOut)!.Status.ShouldBe(ConditionStatus.False);
    }

    [Fact]
    public async Task On_delete_replaces_only_the_machines_that_were_deleted()
    {
        await CreateDeploymentAsync(2, new MachineDeploymentRolloutStrategy { Type = RolloutStrategyType.OnDelete });
        await WaitForRolledOutAsync(2, "v1.33.0");
        var old = await MachinesAsync();

        await using var sampler = new FleetSampler(MachinesAsync);
        await SetVersionAsync("v1.34.0");
        await _env.WaitAsync(async () =>
        {
            var md = await _env.Kube.GetAsync<MachineDeployment>(_env.Namespace, "md");
            return md!.Status.ObservedGeneration == md.Metadata.Generation && (await _env.Kube.ListAsync<MachineSet>(_env.Namespace)).Count == 2
                   && Conditions.IsTrue(md.Status.Conditions, MachineDeploymentConditions.RollingOut);
        }, Timeout, "the new MachineSet and RollingOut");
        (await MachinesAsync()).Select(m => m.Metadata.Name).Order().ShouldBe(old.Select(m => m.Metadata.Name).Order());

        await _env.Kube.DeleteAsync<Machine>(_env.Namespace, old[0].Metadata.Name, old[0].Metadata.Uid);
        await _env.WaitAsync(async () =>
        {
            var machines = await MachinesAsync();
            return machines.Count == 2 && machines.Count(m => m.Spec.Version == "v1.34.0" && MachineFacts.IsAvailable(m)) == 1
                   && machines.Any(m => m.Metadata.Name == old[1].Metadata.Name && !MachineFacts.IsDeleting(m));
        }, Timeout, "one replacement for the deleted Machine");

        await _env.Kube.DeleteAsync<Machine>(_env.Namespace, old[1].Metadata.Name, old[1].Metadata.Uid);
        await WaitForRolledOutAsync(2, "v1.34.0");
        var samples = await sampler.StopAsync();
        samples.Max(s => s.Total).ShouldBeLessThanOrEqualTo(2);
    }

    [Fact]
    public async Task Deleting_a_deployment_removes_its_sets_and_machines()
    {
        await CreateDeploymentAsync(3, new MachineDeploymentRolloutStrategy { Type = RolloutStrategyType.RollingUpdate });
        await WaitForRolledOutAsync(3, "v1.33.0");
        var md = (await _env.Kube.GetAsync<MachineDeployment>(_env.Namespace, "md"))!;
        md.Metadata.Finalizers.ShouldContain(CapiFinalizers.MachineDeployment);
        OwnerReferences.ControllerOf((await _env.Kube.ListAsync<MachineSet>(_env.Namespace))[0].Metadata)!.Uid.ShouldBe(md.Metadata.Uid);

        await _env.Kube.DeleteAsync<MachineDeployment>(_env.Namespace, "md", md.Metadata.Uid);

        await _env.WaitAsync(async () =>
            await _env.Kube.GetAsync<MachineDeployment>(_env.Namespace, "md") is null
            && (await _env.Kube.ListAsync<MachineSet>(_env.Namespace)).Count == 0
            && (await _env.MachinesAsync()).Count == 0
            && (await _env.Kube.ListAsync<DevMachine>(_env.Namespace)).Count == 0, Timeout, "the deployment, its sets and Machines to be gone");
    }

    [KubectlFact]
    public async Task Kubectl_scales_a_deployment_and_prints_its_columns()
    {
        await CreateDeploymentAsync(2, new MachineDeploymentRolloutStrategy { Type = RolloutStrategyType.RollingUpdate });
        await WaitForRolledOutAsync(2, "v1.33.0");
        var dir = Directory.CreateTempSubdirectory("scapi-kubectl-");
        try
        {
            var kubeconfig = Path.Combine(dir.FullName, "kubeconfig");
            await File.WriteAllTextAsync(kubeconfig, _env.Server.KubeconfigYaml());
            var kubectl = new KubectlCli(kubeconfig, Path.Combine(dir.FullName, "cache"));

            await kubectl.OkAsync("scale", "machinedeployment", "md", "-n", _env.Namespace, "--replicas=4");
            await WaitForRolledOutAsync(4, "v1.33.0");
            var table = (await kubectl.OkAsync("get", "md", "-n", _env.Namespace)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            table[0].ShouldStartWith("NAME");
            table[0].ShouldContain("DESIRED");
            table[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[0].ShouldBe("md");
            var phases = (await kubectl.OkAsync("get", "machines", "-n", _env.Namespace, "-o", "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}"))
                .Split('\n', StringSplitOptions.RemoveEmptyEntries);
            phases.Length.ShouldBe(4);
            phases.ShouldAllBe(p => p == "Running");

            await kubectl.OkAsync("scale", "md", "md", "-n", _env.Namespace, "--replicas=1");
            await WaitForRolledOutAsync(1, "v1.33.0");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
