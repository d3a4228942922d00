using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.FleetTests.Harness;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.MachineSets;
using ServerlessCapi.Testing;
using Xunit.Abstractions;

namespace ServerlessCapi.FleetTests;

/// <summary>MachineSets on the embedded API server, driven by the durable engine on Azurite.</summary>
public sealed class MachineSetIntegrationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private FleetEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await FleetEnvironment.StartAsync(output);

    public async Task DisposeAsync() => await _env.DisposeAsync();

    private async Task<MachineSet> CreateSetAsync(string name, int replicas)
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        return await _env.Kube.CreateAsync(new MachineSet
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = _env.Namespace },
            Spec = new MachineSetSpec { ClusterName = "c1", Replicas = replicas, Template = FleetEnvironment.Template("c1", "v1.33.0", "workers") },
        });
    }

    private async Task ScaleAsync(string name, int replicas)
    {
        // What kubectl scale does: a patch of the scale subresource.
        var path = $"{CapiResources.For(CapiGroups.Core, MachineSet.KubeKind).CollectionPath(_env.Namespace)}/{name}/scale";
        var patch = new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } };
        await _env.Kube.SendAsync<JsonObject>(HttpMethod.Patch, path, patch.ToJsonString(), "application/merge-patch+json");
    }

    private async Task<MachineSet> WaitForReadyAsync(string name, int replicas)
    {
        MachineSet? ms = null;
        await _env.WaitAsync(async () =>
        {
            ms = await _env.Kube.GetAsync<MachineSet>(_env.Namespace, name);
            var machines = (await _env.MachinesAsync()).Where(m => !MachineFacts.IsDeleting(m)).ToList();
            return ms is not null && ms.Status.Replicas == replicas && ms.Status.ReadyReplicas == replicas && ms.Status.AvailableReplicas == replicas
                   && ms.Status.ObservedGeneration == ms.Metadata.Generation && machines.Count == replicas && machines.All(MachineFacts.IsAvailable);
        }, Timeout, $"MachineSet {name} with {replicas} ready replicas");
        return ms!;
    }

    [Fact]
    public async Task Scaling_through_the_scale_subresource_creates_and_deletes_machines_to_match()
    {
        await CreateSetAsync("workers", 3);
        var three = await WaitForReadyAsync("workers", 3);
        three.Status.Selector.ShouldNotBeNullOrEmpty();
        three.Metadata.Finalizers.ShouldContain(CapiFinalizers.MachineSet);

        await ScaleAsync("workers", 10);
        await WaitForReadyAsync("workers", 10);
        var ten = await _env.MachinesAsync();
        ten.Count.ShouldBe(10);
        ten.Select(m => m.Metadata.Name).Distinct().Count().ShouldBe(10);
        ten.ShouldAllBe(m => m.Metadata.Labels![CapiLabels.SetName] == "workers" && m.Metadata.Labels[CapiLabels.ClusterName] == "c1");
        ten.ShouldAllBe(m => OwnerReferences.ControllerOf(m.Metadata)!.Name == "workers");
        var infra = await _env.Kube.ListAsync<DevMachine>(_env.Namespace);
        infra.Select(d => d.Metadata.Name).Order().ShouldBe(ten.Select(m => m.Metadata.Name).Order());

        await ScaleAsync("workers", 2);
        var two = await WaitForReadyAsync("workers", 2);
        await _env.WaitAsync(async () => (await _env.MachinesAsync()).Count == 2, Timeout, "deleted Machines to be gone");
        Conditions.Get(two.Status, MachineSetConditions.ScalingDown)!.Status.ShouldBe(ConditionStatus.False);
        Conditions.Get(two.Status, MachineSetConditions.MachinesReady)!.Status.ShouldBe(ConditionStatus.True);
    }

    [Fact]
    public async Task Orphan_machines_matching_the_selector_are_adopted_and_count_as_replicas()
    {
        await _env.CreateReadyClusterAsync("c1");
        await _env.CreateMachineTemplateAsync("workers");
        await _env.Kube.CreateAsync(new DevMachine
        {
            Metadata = new V1ObjectMeta { Name = "orphan", NamespaceProperty = _env.Namespace, Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = "c1" } },
        });
        var template = FleetEnvironment.Template("c1", "v1.33.0", "workers");
        await _env.Kube.CreateAsync(new Machine
        {
            Metadata = new V1ObjectMeta
            {
                Name = "orphan",
                NamespaceProperty = _env.Namespace,
                Labels = new Dictionary<string, string> { ["pool"] = "a", [CapiLabels.ClusterName] = "c1" },
            },
            Spec = new MachineSpec
            {
                ClusterName = "c1",
                Version = "v1.33.0",
                Bootstrap = template.Spec.Bootstrap,
                InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = DevMachine.KubeKind, Name = "orphan" },
            },
        });
        template.Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["pool"] = "a" } };
        await _env.Kube.CreateAsync(new MachineSet
        {
            Metadata = new V1ObjectMeta { Name = "pool-a", NamespaceProperty = _env.Namespace },
            Spec = new MachineSetSpec
            {
                ClusterName = "c1",
                Replicas = 2,
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["pool"] = "a" } },
                Template = template,
            },
        });

        await WaitForReadyAsync("pool-a", 2);

        var machines = await _env.MachinesAsync();
        machines.Count.ShouldBe(2);
        var adopted = machines.Single(m => m.Metadata.Name == "orphan");
        OwnerReferences.ControllerOf(adopted.Metadata)!.Name.ShouldBe("pool-a");
    }
}
