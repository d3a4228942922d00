using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.FleetTests.Harness;
using ServerlessCapi.Reconcilers.Framework;
using Xunit.Abstractions;

namespace ServerlessCapi.FleetTests;

/// <summary>The templates a MachineDeployment or MachineSet stamps Machines from get the Cluster as an owner (as CAPI's
/// controllers give them), so deleting the Cluster leaves none behind.</summary>
public sealed class TemplateOwnershipTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private FleetEnvironment _env = null!;

    public async Task InitializeAsync() => _env = await FleetEnvironment.StartAsync(output);

    public async Task DisposeAsync() => await _env.DisposeAsync();

    /// <summary>A bootstrap config template and an infrastructure machine template, and a Machine template naming both.</summary>
    private async Task<MachineTemplateSpec> TemplatesAsync(string name)
    {
        await _env.CreateMachineTemplateAsync(name);
        await _env.Kube.CreateAsync(new KubeadmConfigTemplate
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = _env.Namespace },
            Spec = new KubeadmConfigTemplateSpec
            {
                Template = new KubeadmConfigTemplateResource { Spec = new KubeadmConfigSpec { Format = BootstrapFormat.CloudConfig } },
            },
        });
        var template = FleetEnvironment.Template("c1", "v1.33.0", name);
        template.Spec.Bootstrap = new MachineBootstrap
        {
            ConfigRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Bootstrap, Kind = KubeadmConfigTemplate.KubeKind, Name = name },
        };
        return template;
    }

    private async Task<string?> ClusterOwnerAsync<T>(string name, string clusterUid)
        where T : class, k8s.IKubernetesObject<V1ObjectMeta>
    {
        var obj = await _env.Kube.GetAsync<T>(_env.Namespace, name);
        var owner = obj?.Metadata.OwnerReferences?.FirstOrDefault(o => o.Uid == clusterUid);
        return owner is { Kind: Cluster.KubeKind, Controller: not true } ? owner.Name : null;
    }

    private async Task DeleteClusterAndExpectTemplatesGoneAsync(string name)
    {
        await _env.Kube.DeleteAsync<Cluster>(_env.Namespace, "c1");
        await _env.WaitAsync(async () => await _env.Kube.GetAsync<KubeadmConfigTemplate>(_env.Namespace, name) is null
                                         && await _env.Kube.GetAsync<DevMachineTemplate>(_env.Namespace, name) is null,
            Timeout, "the templates to go with the Cluster");
    }

    [Fact]
    public async Task A_machine_deployments_templates_are_owned_by_the_cluster_and_deleted_with_it()
    {
        var cluster = await _env.CreateReadyClusterAsync("c1");
        var template = await TemplatesAsync("md-0");
        await _env.Kube.CreateAsync(new MachineDeployment
        {
            Metadata = new V1ObjectMeta { Name = "md-0", NamespaceProperty = _env.Namespace },
            Spec = new MachineDeploymentSpec { ClusterName = "c1", Replicas = 1, Template = template },
        });

        await _env.WaitAsync(async () => await ClusterOwnerAsync<KubeadmConfigTemplate>("md-0", cluster.Metadata.Uid) == "c1"
                                         && await ClusterOwnerAsync<DevMachineTemplate>("md-0", cluster.Metadata.Uid) == "c1",
            Timeout, "the Cluster to own both templates");

        await DeleteClusterAndExpectTemplatesGoneAsync("md-0");
    }

    [Fact]
    public async Task A_machine_sets_templates_are_owned_by_the_cluster_and_deleted_with_it()
    {
        var cluster = await _env.CreateReadyClusterAsync("c1");
        var template = await TemplatesAsync("ms-0");
        template.Metadata = new ObjectMeta { Labels = new Dictionary<string, string> { ["pool"] = "ms-0" } };
        await _env.Kube.CreateAsync(new MachineSet
        {
            Metadata = new V1ObjectMeta { Name = "ms-0", NamespaceProperty = _env.Namespace },
            Spec = new MachineSetSpec
            {
                ClusterName = "c1",
                Replicas = 1,
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["pool"] = "ms-0" } },
                Template = template,
            },
        });

        await _env.WaitAsync(async () => await ClusterOwnerAsync<KubeadmConfigTemplate>("ms-0", cluster.Metadata.Uid) == "c1"
                                         && await ClusterOwnerAsync<DevMachineTemplate>("ms-0", cluster.Metadata.Uid) == "c1",
            Timeout, "the Cluster to own both templates");
        // The Cluster is not their controller: a ClusterClass or a user may still control them.
        (await _env.Kube.GetAsync<DevMachineTemplate>(_env.Namespace, "ms-0"))!.Metadata.OwnerReferences.ShouldHaveSingleItem().Controller.ShouldNotBe(true);

        await DeleteClusterAndExpectTemplatesGoneAsync("ms-0");
    }
}
