using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.InMemory.Client;
using ServerlessCapi.Reconcilers.DevMachinePool;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Machine;
using ServerlessCapi.Reconcilers.MachinePools;
using ServerlessCapi.Reconcilers.Tests.Providers.Support;
using ServerlessCapi.Reconcilers.Workload;
using Api = ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Workflows;

/// <summary>A MachinePool on a DevMachinePool of the in-memory provider, with the real MachinePool, DevMachinePool,
/// Machine, DevMachine, KubeadmConfig and KubeadmControlPlane reconcilers and a one-node control plane.</summary>
public class MachinePoolWorkflowTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private static async Task<ProviderEnvironment> StartAsync()
    {
        MachinePoolReconciler.NodePoll = TimeSpan.FromMilliseconds(200);
        var env = await ProviderEnvironment.StartAsync(more: (kube, _) =>
        {
            var workloads = new WorkloadClusters(kube, NullLogger<WorkloadClusters>.Instance);
            return
            [
                new MachinePoolReconciler(kube, workloads, NullLogger<MachinePoolReconciler>.Instance),
                new DevMachinePoolReconciler(kube, NullLogger<DevMachinePoolReconciler>.Instance),
                new MachineReconciler(kube, workloads, NullLogger<MachineReconciler>.Instance),
            ];
        });
        var ns = env.Namespace;
        var cluster = await env.Kube.CreateAsync(ProviderObjects.Cluster(ns, "c1"));
        await env.Kube.CreateAsync(ProviderObjects.DevCluster(cluster));
        await env.Kube.CreateAsync(ProviderObjects.Template(ns, "cp-template"));
        await env.Kube.CreateAsync(ProviderObjects.ControlPlane(cluster, 1, "v1.33.0", "cp-template"));
        return env;
    }

    private static async Task CreatePoolAsync(ProviderEnvironment env, int replicas)
    {
        var ns = env.Namespace;
        var labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = "c1" };
        await env.Kube.CreateAsync(new Api.KubeadmConfig
        {
            Metadata = new V1ObjectMeta { Name = "pool", NamespaceProperty = ns, Labels = labels },
            Spec = new KubeadmConfigSpec { JoinConfiguration = new JoinConfiguration { NodeRegistration = new NodeRegistrationOptions { Name = "pool" } } },
        });
        await env.Kube.CreateAsync(new Api.DevMachinePool
        {
            Metadata = new V1ObjectMeta { Name = "pool", NamespaceProperty = ns, Labels = labels },
            Spec = new DevMachinePoolSpec { Backend = new DevMachinePoolBackendSpec { InMemory = ProviderObjects.Backend("0s").InMemory } },
        });
        await env.Kube.CreateAsync(new Api.MachinePool
        {
            Metadata = new V1ObjectMeta { Name = "pool", NamespaceProperty = ns },
            Spec = new MachinePoolSpec
            {
                ClusterName = "c1",
                Replicas = replicas,
                Template = new MachineTemplateSpec
                {
                    Spec = new MachineSpec
                    {
                        ClusterName = "c1",
                        Version = "v1.33.0",
                        Bootstrap = new MachineBootstrap
                        {
                            ConfigRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Bootstrap, Kind = Api.KubeadmConfig.KubeKind, Name = "pool" },
                        },
                        InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = Api.DevMachinePool.KubeKind, Name = "pool" },
                    },
                },
            },
        });
    }

    private static Task<Api.MachinePool> WaitForRunningAsync(ProviderEnvironment env, int replicas) =>
        env.WaitForAsync(async () =>
        {
            var p = await env.Kube.GetAsync<Api.MachinePool>(env.Namespace, "pool");
            return p?.Status.Phase == MachinePoolPhase.Running && p.Status.NodeRefs?.Count == replicas && p.Status.ReadyReplicas == replicas
                   && p.Status.Replicas == replicas ? p : null;
        }, $"the MachinePool to run {replicas} replicas", Timeout);

    private static async Task<KubeApi> WorkloadAsync(ProviderEnvironment env)
    {
        var kubeconfig = (await env.Kube.GetAsync<V1Secret>(env.Namespace, "c1-kubeconfig"))!;
        return KubeApi.FromKubeconfigText(Encoding.UTF8.GetString(kubeconfig.Data["value"]));
    }

    private static async Task<List<V1Node>> PoolNodesAsync(KubeApi workload) =>
        (await workload.ListAsync<V1Node>(null))
        .Where(n => n.Metadata.Annotations is { } a && a.TryGetValue(CapiAnnotations.OwnerName, out var owner) && owner == "pool").ToList();

    private static Task<IReadOnlyList<Api.Machine>> PoolMachinesAsync(ProviderEnvironment env) =>
        env.Kube.ListAsync<Api.Machine>(env.Namespace, $"{CapiLabels.PoolName}=pool");

    private static Task<Api.MachinePool> ScaleAsync(ProviderEnvironment env, int replicas) =>
        env.Kube.MergePatchAsync<Api.MachinePool>(env.Namespace, "pool", new JsonObject { ["spec"] = new JsonObject { ["replicas"] = replicas } });

    [Fact]
    public async Task A_machine_pool_reaches_running_with_a_node_ref_per_replica_and_scales_up_and_down()
    {
        await using var env = await StartAsync();
        var ns = env.Namespace;
        await CreatePoolAsync(env, replicas: 2);

        var pool = await WaitForRunningAsync(env, 2);
        var cluster = (await env.Kube.GetAsync<Api.Cluster>(ns, "c1"))!;
        pool.Metadata.Finalizers.ShouldContain(CapiFinalizers.MachinePool);
        pool.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("c1");
        pool.Metadata.OwnerReferences.ShouldContain(o => o.Uid == cluster.Metadata.Uid && o.Controller != true);
        pool.Spec.Template.Spec.Bootstrap.DataSecretName.ShouldBe("pool");
        pool.Spec.ProviderIdList!.Count.ShouldBe(2);
        pool.Status.Initialization!.BootstrapDataSecretCreated.ShouldBe(true);
        pool.Status.Initialization.InfrastructureProvisioned.ShouldBe(true);
        pool.Status.AvailableReplicas.ShouldBe(2);
        pool.Status.UpToDateReplicas.ShouldBe(2);
        pool.Status.Versions.ShouldHaveSingleItem().Version.ShouldBe("v1.33.0");
        foreach (var type in new[] { MachinePoolConditions.Available, MachinePoolConditions.BootstrapConfigReady, MachinePoolConditions.InfrastructureReady,
                     MachinePoolConditions.MachinesReady, MachinePoolConditions.MachinesUpToDate })
            Conditions.Get(pool.Status, type)!.Status.ShouldBe(ConditionStatus.True, type);
        foreach (var type in new[] { MachinePoolConditions.ScalingUp, MachinePoolConditions.ScalingDown, MachinePoolConditions.Remediating, MachinePoolConditions.Deleting })
            Conditions.Get(pool.Status, type)!.Status.ShouldBe(ConditionStatus.False, type);

        // The v1beta1 conditions CAPI keeps for old clients.
        var v1 = pool.Status.Deprecated!.V1Beta1!;
        v1.ReadyReplicas.ShouldBe(2);
        v1.Conditions!.Select(c => c.Type).ShouldBe(["Ready", "BootstrapReady", "InfrastructureReady", "ReplicasReady"]);
        v1.Conditions!.ShouldAllBe(c => c.Status == ConditionStatus.True);

        // The bootstrap config and the infrastructure pool are the MachinePool's, and the config joins workers.
        var config = (await env.Kube.GetAsync<Api.KubeadmConfig>(ns, "pool"))!;
        config.Metadata.OwnerReferences.ShouldHaveSingleItem().Uid.ShouldBe(pool.Metadata.Uid);
        Encoding.UTF8.GetString((await env.Kube.GetAsync<V1Secret>(ns, "pool"))!.Data["value"]).ShouldContain("kubeadm join");
        var infra = (await env.Kube.GetAsync<Api.DevMachinePool>(ns, "pool"))!;
        infra.Metadata.OwnerReferences.ShouldContain(o => o.Uid == pool.Metadata.Uid && o.Controller == true);
        infra.Status.Ready.ShouldBe(true);
        infra.Status.InfrastructureMachineKind.ShouldBe(Api.DevMachine.KubeKind);
        infra.Spec.ProviderIdList.ShouldBe(pool.Spec.ProviderIdList);

        // One Machine per instance, controlled by the pool, each with its Node.
        var machines = await PoolMachinesAsync(env);
        machines.Count.ShouldBe(2);
        foreach (var m in machines)
        {
            OwnerReferences.ControllerOf(m.Metadata)!.Uid.ShouldBe(pool.Metadata.Uid);
            m.Spec.InfrastructureRef.Kind.ShouldBe(Api.DevMachine.KubeKind);
            m.Status.NodeRef.ShouldNotBeNull();
            Conditions.IsTrue(m.Status, MachineConditions.UpToDate).ShouldBeTrue();
        }
        using var workload = await WorkloadAsync(env);
        (await PoolNodesAsync(workload)).Select(n => n.Metadata.Name).Order()
            .ShouldBe(pool.Status.NodeRefs!.Select(r => r.Name!).Order());

        await ScaleAsync(env, 3);
        await WaitForRunningAsync(env, 3);
        (await PoolMachinesAsync(env)).Count.ShouldBe(3);

        await ScaleAsync(env, 1);
        pool = await WaitForRunningAsync(env, 1);
        await env.WaitForAsync(async () => (await PoolMachinesAsync(env)).Count == 1 ? "one" : null, "the surplus Machines to go", Timeout);
        await env.WaitForAsync(async () => (await PoolNodesAsync(workload)).Count == 1 ? "one" : null, "the surplus Nodes to go", Timeout);
        (await env.Kube.ListAsync<Api.DevMachine>(ns, $"{CapiLabels.PoolName}=pool")).Count.ShouldBe(1);
        pool.Spec.ProviderIdList!.Count.ShouldBe(1);
    }

    [Fact]
    public async Task Deleting_a_machine_pool_deletes_its_config_infrastructure_machines_vms_and_nodes()
    {
        await using var env = await StartAsync();
        var ns = env.Namespace;
        await CreatePoolAsync(env, replicas: 2);
        await WaitForRunningAsync(env, 2);
        var instances = await env.Kube.ListAsync<Api.DevMachine>(ns, $"{CapiLabels.PoolName}=pool");
        instances.Count.ShouldBe(2);

        await env.Kube.DeleteAsync<Api.MachinePool>(ns, "pool");

        await env.WaitForAsync(async () => await env.Kube.GetAsync<Api.MachinePool>(ns, "pool") is null ? "gone" : null, "the MachinePool to go", Timeout);
        (await env.Kube.GetAsync<Api.DevMachinePool>(ns, "pool")).ShouldBeNull();
        (await env.Kube.GetAsync<Api.KubeadmConfig>(ns, "pool")).ShouldBeNull();
        (await env.Kube.ListAsync<Api.DevMachine>(ns, $"{CapiLabels.PoolName}=pool")).ShouldBeEmpty();
        await env.WaitForAsync(async () => (await PoolMachinesAsync(env)).Count == 0 ? "none" : null, "the pool's Machines to go", Timeout);
        foreach (var instance in instances)
            (await env.CloudClient.GetVmAsync(instance.Metadata.Uid)).ShouldBeNull();
        using var workload = await WorkloadAsync(env);
        (await PoolNodesAsync(workload)).ShouldBeEmpty();
        // The control plane is untouched.
        (await workload.ListAsync<V1Node>(null)).Count.ShouldBe(1);
    }
}
