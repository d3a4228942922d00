using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.InMemory;
using ServerlessCapi.Reconcilers.Tests.Providers.Support;
using Api = ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Workflows;

public class DevMachineWorkflowTests
{
    /// <summary>A control-plane Machine with its KubeadmConfig (init) and DevMachine, as a user would write them.</summary>
    private static async Task<(Api.Machine Machine, Api.DevMachine DevMachine)> CreateMachineAsync(ProviderEnvironment env, Api.Cluster cluster,
        string name, string startup, Dictionary<string, string>? annotations = null)
    {
        var ns = env.Namespace;
        var machine = await env.Kube.CreateAsync(new Api.Machine
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = cluster.Metadata.Name, [CapiLabels.ControlPlane] = "" },
            },
            Spec = new MachineSpec
            {
                ClusterName = cluster.Metadata.Name,
                Version = "v1.33.0",
                Bootstrap = new MachineBootstrap
                {
                    ConfigRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Bootstrap, Kind = "KubeadmConfig", Name = name },
                },
                InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = "DevMachine", Name = name },
            },
        });
        var owner = new V1OwnerReference { ApiVersion = CapiGroups.CoreApiVersion, Kind = "Machine", Name = name, Uid = machine.Metadata.Uid, Controller = true };
        await env.Kube.CreateAsync(new Api.KubeadmConfig
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = ns,
                OwnerReferences = [owner],
                Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = cluster.Metadata.Name },
            },
            // No join configuration: a control-plane config that runs kubeadm init (empty init/cluster objects would
            // break the CRD's minProperties).
            Spec = new KubeadmConfigSpec { Format = BootstrapFormat.CloudConfig },
        });
        var dev = await env.Kube.CreateAsync(new Api.DevMachine
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = ns, OwnerReferences = [owner], Annotations = annotations },
            Spec = new DevMachineSpec { Backend = ProviderObjects.Backend(startup) },
        });
        return (machine, dev);
    }

    private static async Task<Api.Cluster> CreateClusterAsync(ProviderEnvironment env)
    {
        var cluster = await env.Kube.CreateAsync(ProviderObjects.Cluster(env.Namespace, "c1"));
        await env.Kube.CreateAsync(ProviderObjects.DevCluster(cluster));
        return cluster;
    }

    [Fact]
    public async Task A_devmachine_gets_its_provider_id_at_once_and_reports_its_vm_provisioned_after_the_startup_time()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var cluster = await CreateClusterAsync(env);
        var (_, dev) = await CreateMachineAsync(env, cluster, "m1", startup: "1s");

        var provisioning = await env.WaitForAsync(async () =>
        {
            var d = await env.Kube.GetAsync<Api.DevMachine>(env.Namespace, "m1");
            return d?.Spec.ProviderId is not null ? d : null;
        }, "the providerID");
        provisioning.Status.Initialization?.Provisioned.ShouldNotBe(true);
        Conditions.Get(provisioning.Status, DevMachineConditions.InMemoryVMProvisioned)!.Reason.ShouldBe(DevMachineReasons.InMemoryVMWaitingForStartupTimeout);
        provisioning.Metadata.Finalizers.ShouldContain(CapiFinalizers.DevMachine);

        var ready = await env.WaitForAsync(async () =>
        {
            var d = await env.Kube.GetAsync<Api.DevMachine>(env.Namespace, "m1");
            return d?.Status.Initialization?.Provisioned == true ? d : null;
        }, "the VM to be provisioned");
        Conditions.IsTrue(ready.Status, DevMachineConditions.Ready).ShouldBeTrue();
        Conditions.IsTrue(ready.Status, DevMachineConditions.InMemoryEtcdProvisioned).ShouldBeTrue();
        var vm = (await env.CloudClient.GetVmAsync(dev.Metadata.Uid))!;
        vm.State.ShouldBe(VmState.Running);
        vm.Role.ShouldBe(VmRoles.ControlPlane);
        ready.Status.Addresses!.First().Address.ShouldBe(vm.Addresses[0].Address);
        (await env.Cloud.NodeAsync(env.Namespace, "c1", "m1")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Fail_boot_leaves_the_devmachine_not_ready_with_the_clouds_reason()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var cluster = await CreateClusterAsync(env);
        await CreateMachineAsync(env, cluster, "bad", "0s", new Dictionary<string, string> { [InMemoryAnnotations.FailBoot] = "true" });

        var failed = await env.WaitForAsync(async () =>
        {
            var d = await env.Kube.GetAsync<Api.DevMachine>(env.Namespace, "bad");
            return Conditions.Get(d?.Status, DevMachineConditions.InMemoryVMProvisioned)?.Reason == "BootFailed" ? d : null;
        }, "the boot failure");

        Conditions.IsFalse(failed!.Status, DevMachineConditions.Ready).ShouldBeTrue();
        Conditions.Get(failed.Status, DevMachineConditions.Ready)!.Message.ShouldContain("fail-boot");
        failed.Status.Initialization?.Provisioned.ShouldNotBe(true);
        (await env.Cloud.NodeAsync(env.Namespace, "c1", "bad")).ShouldBeNull();
    }

    [Fact]
    public async Task Deleting_a_devmachine_deletes_its_vm_and_node_and_then_lets_it_go()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var cluster = await CreateClusterAsync(env);
        var (_, dev) = await CreateMachineAsync(env, cluster, "m2", "0s");
        await env.WaitForAsync(() => env.Cloud.NodeAsync(env.Namespace, "c1", "m2"), "the node");

        await env.Kube.DeleteAsync<Api.DevMachine>(env.Namespace, "m2");

        await env.WaitForAsync(async () => await env.Kube.GetAsync<Api.DevMachine>(env.Namespace, "m2") is null ? "gone" : null, "the DevMachine to go");
        (await env.CloudClient.GetVmAsync(dev.Metadata.Uid)).ShouldBeNull();
        (await env.Cloud.NodeAsync(env.Namespace, "c1", "m2")).ShouldBeNull();
    }

    [Fact]
    public async Task Node_not_ready_injection_reaches_the_workload_node()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var cluster = await CreateClusterAsync(env);
        await CreateMachineAsync(env, cluster, "m3", "0s");
        await env.WaitForAsync(() => env.Cloud.NodeAsync(env.Namespace, "c1", "m3"), "the node");

        await env.Kube.MergePatchAsync<Api.DevMachine>(env.Namespace, "m3", new System.Text.Json.Nodes.JsonObject
        {
            ["metadata"] = new System.Text.Json.Nodes.JsonObject
            {
                ["annotations"] = new System.Text.Json.Nodes.JsonObject { [InMemoryAnnotations.NodeNotReady] = "true" },
            },
        });

        await env.WaitForAsync(async () =>
        {
            var node = await env.Cloud.NodeAsync(env.Namespace, "c1", "m3");
            return node?.Status.Conditions.Single(c => c.Type == "Ready").Status == "False" ? node : null;
        }, "the node to report NotReady");
    }
}
