using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.FleetTests.Harness;
using ServerlessCapi.Reconcilers.MachineSets;
using Xunit.Abstractions;

namespace ServerlessCapi.FleetTests;

/// <summary>MachineHealthChecks end to end: a Node that stays NotReady gets its Machine replaced, unless too many
/// Machines are unhealthy.</summary>
public sealed class MachineHealthCheckIntegrationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private FleetEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await FleetEnvironment.StartAsync(output, nodePoll: TimeSpan.FromMilliseconds(500));

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private async Task<IReadOnlyList<Machine>> StartFleetAsync(Api.IntOrString? unhealthyLimit = null)
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        await _env.Kube.CreateAsync(new MachineDeployment
        {
            Metadata = new V1ObjectMeta { Name = "md", NamespaceProperty = _env.Namespace },
            Spec = new MachineDeploymentSpec { ClusterName = "c1", Replicas = 3, Template = FleetEnvironment.Template("c1", "v1.33.0", "workers") },
        });
        await _env.Kube.CreateAsync(new MachineHealthCheck
        {
            Metadata = new V1ObjectMeta { Name = "workers", NamespaceProperty = _env.Namespace },
            Spec = new MachineHealthCheckSpec
            {
                ClusterName = "c1",
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { [CapiLabels.DeploymentName] = "md" } },
                Checks = new MachineHealthCheckChecks
                {
                    NodeStartupTimeoutSeconds = 60,
                    UnhealthyNodeConditions =
                    [
                        new UnhealthyNodeCondition { Type = "Ready", Status = "False", TimeoutSeconds = 1 },
                        new UnhealthyNodeCondition { Type = "Ready", Status = "Unknown", TimeoutSeconds = 1 },
                    ],
                },
                Remediation = unhealthyLimit is null ? null : new MachineHealthCheckRemediation
                {
                    TriggerIf = new MachineHealthCheckRemediationTriggerIf { UnhealthyLessThanOrEqualTo = unhealthyLimit },
                },
            },
        });
        await WaitForHealthyAsync(3, []);
        return await _env.MachinesAsync();
    }

    private async Task WaitForHealthyAsync(int replicas, IReadOnlyCollection<string> gone)
    {
        await _env.WaitAsync(async () =>
        {
            var machines = await _env.MachinesAsync();
            var check = await _env.Kube.GetAsync<MachineHealthCheck>(_env.Namespace, "workers");
            return machines.Count == replicas && machines.All(m => MachineFacts.IsAvailable(m) && !MachineFacts.IsDeleting(m) && !gone.Contains(m.Metadata.Name))
                   && machines.All(m => Conditions.IsTrue(m.Status.Conditions, MachineConditions.HealthCheckSucceeded))
                   && check!.Status.ExpectedMachines == replicas && check.Status.CurrentHealthy == replicas
                   && check.Status.Targets!.Order().SequenceEqual(machines.Select(m => m.Metadata.Name).Order());
        }, Timeout, $"{replicas} healthy Machines checked by the MachineHealthCheck");
    }

    [Fact]
    public async Task A_node_not_ready_beyond_its_timeout_gets_its_machine_remediated_and_replaced()
    {
        var machines = await StartFleetAsync();
        var victim = machines[1];
        var seen = new ConditionRecorder(_env, victim.Metadata.Name);

        await _env.SetNodeReadyAsync("c1", victim.Status.NodeRef!.Name, ready: false);

        await WaitForHealthyAsync(3, [victim.Metadata.Name]);
        await seen.StopAsync();
        seen.Saw(MachineConditions.HealthCheckSucceeded, ConditionStatus.False, MachineReasons.HealthCheckUnhealthyNode).ShouldBeTrue();
        seen.Saw(MachineConditions.OwnerRemediated, ConditionStatus.False, MachineSetReasons.MachineRemediationMachineDeleting).ShouldBeTrue();
        var survivors = (await _env.MachinesAsync()).Select(m => m.Metadata.Name).ToList();
        survivors.ShouldContain(machines[0].Metadata.Name);
        survivors.ShouldContain(machines[2].Metadata.Name);

        var marked = (await _env.EventsOnAsync(Machine.KubeKind, victim.Metadata.Name)).Where(e => e.Reason == "MachineMarkedUnhealthy").ShouldHaveSingleItem();
        marked.ReportingComponent.ShouldBe("machinehealthcheck-controller");
        marked.Message.ShouldBe($"Machine {_env.Namespace}/{victim.Metadata.Name} has been marked as unhealthy by {_env.Namespace}/workers");
        (await _env.EventsOnAsync(MachineSet.KubeKind, victim.Metadata.Labels![CapiLabels.SetName]))
            .ShouldContain(e => e.Reason == "SuccessfulDelete" && e.Message == $"Deleted Machine \"{victim.Metadata.Name}\"");
    }

    [Fact]
    public async Task Remediation_stops_while_too_many_machines_are_unhealthy()
    {
        var machines = await StartFleetAsync(unhealthyLimit: 1);
        await _env.SetNodeReadyAsync("c1", machines[0].Status.NodeRef!.Name, ready: false);
        await _env.SetNodeReadyAsync("c1", machines[1].Status.NodeRef!.Name, ready: false);

        await _env.WaitAsync(async () =>
        {
            var check = await _env.Kube.GetAsync<MachineHealthCheck>(_env.Namespace, "workers");
            var marked = (await _env.MachinesAsync()).Count(m => Conditions.IsFalse(m.Status.Conditions, MachineConditions.HealthCheckSucceeded));
            return Conditions.Get(check!.Status, MachineHealthCheckConditions.RemediationAllowed) is { Status: ConditionStatus.False, Reason: MachineHealthCheckReasons.TooManyUnhealthy }
                   && check.Status.RemediationsAllowed == 0 && marked == 2;
        }, Timeout, "the MachineHealthCheck to short-circuit with both Machines marked unhealthy");
        (await _env.EventsOnAsync(MachineHealthCheck.KubeKind, "workers")).ShouldContain(e => e.Reason == "RemediationRestricted" && e.Type == "Warning");
        var held = await _env.MachinesAsync();
        held.Count.ShouldBe(3);
        held.ShouldAllBe(m => !MachineFacts.IsDeleting(m) && Conditions.Get(m.Status.Conditions, MachineConditions.OwnerRemediated) == null);

        // One recovers: one unhealthy Machine is within the limit again, and it is replaced.
        await _env.SetNodeReadyAsync("c1", machines[0].Status.NodeRef!.Name, ready: true);
        await WaitForHealthyAsync(3, [machines[1].Metadata.Name]);
        (await _env.MachinesAsync()).Select(m => m.Metadata.Name).ShouldContain(machines[0].Metadata.Name);
    }
}
