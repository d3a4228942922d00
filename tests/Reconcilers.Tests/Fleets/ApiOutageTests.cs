using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.FleetTests.Harness;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using Xunit.Abstractions;
using RetryBackoff = ServerlessCapi.Workflows.Reconcile.RetryBackoff;

namespace ServerlessCapi.FleetTests;

/// <summary>A failing reconcile is retried until it succeeds: an API server outage in the middle of a rollout, longer
/// than the engine's former limit of eight failed attempts, ends with everything converged once the server is back.</summary>
public sealed class ApiOutageTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The engine gave up on an instance after this many failed steps in a row.</summary>
    private const int FormerAttemptLimit = 8;

    private readonly ApiOutage _outage = new();
    private FleetEnvironment _env = null!;

    // A short backoff (20 ms doubling to 200 ms) lets the outage outlast the former limit in seconds.
    public async Task InitializeAsync() => _env = await FleetEnvironment.StartAsync(output, bootTime: TimeSpan.FromSeconds(2), outage: _outage,
        backoff: new RetryBackoff(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)));

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private Task<IReadOnlyList<Machine>> MachinesAsync() => _env.MachinesAsync($"{CapiLabels.DeploymentName}=md");

    private Task WaitForRolledOutAsync(int replicas, string version) => _env.WaitForRolledOutAsync("md", replicas, version, Timeout);

    [Fact]
    public async Task A_rollout_outlives_an_api_server_outage_longer_than_the_former_attempt_limit()
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        var md = await _env.Kube.CreateAsync(new MachineDeployment
        {
            Metadata = new V1ObjectMeta { Name = "md", NamespaceProperty = _env.Namespace },
            Spec = new MachineDeploymentSpec
            {
                ClusterName = "c1",
                Replicas = 3,
                Rollout = new MachineDeploymentRolloutSpec
                {
                    Strategy = new MachineDeploymentRolloutStrategy
                    {
                        Type = RolloutStrategyType.RollingUpdate,
                        RollingUpdate = new MachineRollingUpdate { MaxSurge = 1, MaxUnavailable = 0 },
                    },
                },
                Template = FleetEnvironment.Template("c1", "v1.33.0", "workers"),
            },
        });
        await WaitForRolledOutAsync(3, "v1.33.0");

        await _env.Kube.MergePatchAsync<MachineDeployment>(_env.Namespace, "md", new JsonObject
        {
            ["spec"] = new JsonObject { ["template"] = new JsonObject { ["spec"] = new JsonObject { ["version"] = "v1.34.0" } } },
        });
        await _env.WaitAsync(async () => (await _env.Kube.ListAsync<MachineSet>(_env.Namespace)).Count == 2, Timeout, "the rollout under way");

        _outage.Down = true;
        // A change during the outage wakes the deployment; every reconcile of it now fails, and is retried.
        await _env.Kube.MergePatchAsync<MachineDeployment>(_env.Namespace, "md", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = 4 } });
        var instance = ReconcileStep.ToDurable(new ObjectKey(MachineDeployment.KubeKind, _env.Namespace, "md", md.Metadata.Uid));
        await _env.WaitAsync(async () => (await _env.Workflows.GetStateAsync(instance))?.Failures > FormerAttemptLimit + 1, Timeout,
            $"more than {FormerAttemptLimit} failed reconciles in a row");
        var during = await _env.Workflows.GetStateAsync(instance);
        during!.TerminalReason.ShouldBeNull();
        during.WakeAt.ShouldNotBeNull("a failed reconcile schedules its retry");
        _outage.Refused.ShouldBeGreaterThan(FormerAttemptLimit);

        _outage.Down = false;
        await WaitForRolledOutAsync(4, "v1.34.0");
        var after = await _env.Workflows.GetStateAsync(instance);
        after!.TerminalReason.ShouldBeNull();
        after.Failures.ShouldBe(0);
        foreach (var machine in await MachinesAsync())
        {
            var state = await _env.Workflows.GetStateAsync(ReconcileStep.ToDurable(new ObjectKey(Machine.KubeKind, _env.Namespace, machine.Metadata.Name, machine.Metadata.Uid)));
            state.ShouldNotBeNull().TerminalReason.ShouldBeNull();
            state.Failures.ShouldBe(0);
        }
    }
}
