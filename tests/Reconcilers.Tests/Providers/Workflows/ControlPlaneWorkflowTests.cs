using System.Text;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.Bootstrap;
using ServerlessCapi.Reconcilers.Tests.Providers.Support;
using Api = ServerlessCapi.Api;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Workflows;

public class ControlPlaneWorkflowTests
{
    [Fact]
    public async Task A_control_plane_of_three_gets_three_machines_with_bootstrap_data_vms_and_ready_nodes()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var ns = env.Namespace;
        var cluster = await env.Kube.CreateAsync(ProviderObjects.Cluster(ns, "c1"));
        await env.Kube.CreateAsync(ProviderObjects.DevCluster(cluster));
        await env.Kube.CreateAsync(ProviderObjects.Template(ns, "cp-template"));
        await env.Kube.CreateAsync(ProviderObjects.ControlPlane(cluster, 3, "v1.33.0", "cp-template"));

        var kcp = await env.WaitForAsync(async () =>
        {
            var k = await env.Kube.GetAsync<Api.KubeadmControlPlane>(ns, "c1-cp");
            return k?.Status.ReadyReplicas == 3 && Conditions.IsTrue(k.Status, KubeadmControlPlaneConditions.Available) ? k : null;
        }, "the control plane to have 3 ready replicas");

        kcp.Status.Replicas.ShouldBe(3);
        kcp.Status.UpToDateReplicas.ShouldBe(3);
        kcp.Status.Version.ShouldBe("v1.33.0");
        kcp.Status.Selector.ShouldBe("cluster.x-k8s.io/cluster-name=c1,cluster.x-k8s.io/control-plane");
        kcp.Status.Initialization!.ControlPlaneInitialized.ShouldBe(true);
        Conditions.IsTrue(kcp.Status, KubeadmControlPlaneConditions.Initialized).ShouldBeTrue();
        Conditions.IsTrue(kcp.Status, KubeadmControlPlaneConditions.MachinesReady).ShouldBeTrue();
        Conditions.IsFalse(kcp.Status, KubeadmControlPlaneConditions.ScalingUp).ShouldBeTrue();
        Conditions.IsFalse(kcp.Status, KubeadmControlPlaneConditions.RollingOut).ShouldBeTrue();
        kcp.Metadata.Finalizers.ShouldContain(CapiFinalizers.KubeadmControlPlane);

        var machines = await env.Kube.ListAsync<Api.Machine>(ns, "cluster.x-k8s.io/control-plane");
        machines.Count.ShouldBe(3);
        var roles = new List<string>();
        foreach (var m in machines)
        {
            m.Metadata.Name.ShouldStartWith("c1-cp-");
            m.Metadata.OwnerReferences.ShouldHaveSingleItem().Uid.ShouldBe(kcp.Metadata.Uid);
            m.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("c1");
            m.Spec.Version.ShouldBe("v1.33.0");
            Conditions.IsTrue(m.Status, MachineConditions.UpToDate).ShouldBeTrue();

            var config = (await env.Kube.GetAsync<Api.KubeadmConfig>(ns, m.Metadata.Name))!;
            config.Metadata.OwnerReferences.ShouldHaveSingleItem().Uid.ShouldBe(m.Metadata.Uid);
            config.Status.DataSecretName.ShouldBe(m.Metadata.Name);
            config.Status.Initialization!.DataSecretCreated.ShouldBe(true);
            Conditions.IsTrue(config.Status, KubeadmConfigConditions.DataSecretAvailable).ShouldBeTrue();

            var secret = (await env.Kube.GetAsync<V1Secret>(ns, m.Metadata.Name))!;
            secret.Type.ShouldBe(BootstrapSecret.SecretType);
            secret.Metadata.Labels[CapiLabels.ClusterName].ShouldBe("c1");
            secret.Metadata.OwnerReferences.ShouldHaveSingleItem().Uid.ShouldBe(config.Metadata.Uid);
            var data = Encoding.UTF8.GetString(secret.Data["value"]);
            data.ShouldStartWith("## template: jinja\n#cloud-config");
            roles.Add(data.Contains("kubeadm init", StringComparison.Ordinal) ? "init" : "join");

            var dev = (await env.Kube.GetAsync<Api.DevMachine>(ns, m.Metadata.Name))!;
            dev.Metadata.OwnerReferences.ShouldHaveSingleItem().Uid.ShouldBe(m.Metadata.Uid);
            dev.Metadata.Annotations[CapiAnnotations.ClonedFromName].ShouldBe("cp-template");
            dev.Spec.ProviderId.ShouldBe($"in-memory://{ns}/c1/{m.Metadata.Name}");
            dev.Status.Initialization!.Provisioned.ShouldBe(true);
            Conditions.IsTrue(dev.Status, DevMachineConditions.Ready).ShouldBeTrue();
            Conditions.IsTrue(dev.Status, DevMachineConditions.InMemoryAPIServerProvisioned).ShouldBeTrue();
            dev.Status.Addresses!.Select(a => a.Type).ShouldBe(["InternalIP", "Hostname"]);
        }
        roles.Order().ShouldBe(["init", "join", "join"]);

        // The kubeconfig Secret reaches the workload cluster, where the three Nodes are Ready.
        var kubeconfig = (await env.Kube.GetAsync<V1Secret>(ns, "c1-kubeconfig"))!;
        kubeconfig.Metadata.OwnerReferences.ShouldHaveSingleItem().Uid.ShouldBe(kcp.Metadata.Uid);
        using var workload = KubeApi.FromKubeconfigText(Encoding.UTF8.GetString(kubeconfig.Data["value"]));
        var nodes = await workload.ListAsync<V1Node>(null);
        nodes.Select(n => n.Metadata.Name).Order().ShouldBe(machines.Select(m => m.Metadata.Name).Order());
        nodes.ShouldAllBe(n => n.Status.Conditions.Any(c => c.Type == "Ready" && c.Status == "True"));

        var devCluster = (await env.Kube.GetAsync<Api.DevCluster>(ns, "c1"))!;
        devCluster.Status.Initialization!.Provisioned.ShouldBe(true);
        devCluster.Spec.ControlPlaneEndpoint!.Host.ShouldBe("127.0.0.1");
    }
}

public class ControlPlaneChangeTests
{
    private static async Task<Api.KubeadmControlPlane> ReadyAsync(ProviderEnvironment env, int replicas, string version) =>
        await env.WaitForAsync(async () =>
        {
            var k = await env.Kube.GetAsync<Api.KubeadmControlPlane>(env.Namespace, "c1-cp");
            var machines = await env.Kube.ListAsync<Api.Machine>(env.Namespace, "cluster.x-k8s.io/control-plane");
            return k?.Status.ReadyReplicas == replicas && k.Status.Replicas == replicas && k.Status.UpToDateReplicas == replicas
                   && machines.Count == replicas && machines.All(m => m.Spec.Version == version)
                ? k
                : null;
        }, $"{replicas} ready {version} control plane machines");

    [Fact]
    public async Task A_version_change_rolls_out_new_machines_and_removes_the_old_ones_with_their_vms()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var cluster = await env.Kube.CreateAsync(ProviderObjects.Cluster(env.Namespace, "c1"));
        await env.Kube.CreateAsync(ProviderObjects.DevCluster(cluster));
        await env.Kube.CreateAsync(ProviderObjects.Template(env.Namespace, "cp-template"));
        await env.Kube.CreateAsync(ProviderObjects.ControlPlane(cluster, 2, "v1.33.0", "cp-template"));
        await ReadyAsync(env, 2, "v1.33.0");
        var before = (await env.Kube.ListAsync<Api.Machine>(env.Namespace, "cluster.x-k8s.io/control-plane")).Select(m => m.Metadata.Name).ToList();

        await env.Kube.MergePatchAsync<Api.KubeadmControlPlane>(env.Namespace, "c1-cp",
            new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["version"] = "v1.34.0" } });

        var kcp = await ReadyAsync(env, 2, "v1.34.0");
        kcp.Status.Version.ShouldBe("v1.34.0");
        Conditions.IsFalse(kcp.Status, KubeadmControlPlaneConditions.RollingOut).ShouldBeTrue();
        var after = (await env.Kube.ListAsync<Api.Machine>(env.Namespace, "cluster.x-k8s.io/control-plane")).Select(m => m.Metadata.Name).ToList();
        after.Intersect(before).ShouldBeEmpty();
        foreach (var old in before)
            await env.WaitForAsync(async () => await env.Cloud.NodeAsync(env.Namespace, "c1", old) is null ? old : null, $"node {old} to go");
    }

    [Fact]
    public async Task Scaling_down_deletes_the_oldest_machine_and_deleting_the_control_plane_removes_everything()
    {
        await using var env = await ProviderEnvironment.StartAsync();
        var cluster = await env.Kube.CreateAsync(ProviderObjects.Cluster(env.Namespace, "c1"));
        await env.Kube.CreateAsync(ProviderObjects.DevCluster(cluster));
        await env.Kube.CreateAsync(ProviderObjects.Template(env.Namespace, "cp-template"));
        await env.Kube.CreateAsync(ProviderObjects.ControlPlane(cluster, 2, "v1.33.0", "cp-template"));
        await ReadyAsync(env, 2, "v1.33.0");
        var oldest = (await env.Kube.ListAsync<Api.Machine>(env.Namespace, "cluster.x-k8s.io/control-plane"))
            .OrderBy(m => m.Metadata.CreationTimestamp).ThenBy(m => m.Metadata.Name, StringComparer.Ordinal).First().Metadata.Name;

        await env.Kube.MergePatchAsync<Api.KubeadmControlPlane>(env.Namespace, "c1-cp",
            new System.Text.Json.Nodes.JsonObject { ["spec"] = new System.Text.Json.Nodes.JsonObject { ["replicas"] = 1 } });

        await ReadyAsync(env, 1, "v1.33.0");
        (await env.Kube.GetAsync<Api.Machine>(env.Namespace, oldest)).ShouldBeNull();

        await env.Kube.DeleteAsync<Api.KubeadmControlPlane>(env.Namespace, "c1-cp");
        await env.WaitForAsync(async () => await env.Kube.GetAsync<Api.KubeadmControlPlane>(env.Namespace, "c1-cp") is null ? "gone" : null,
            "the control plane to go");
        (await env.Kube.ListAsync<Api.Machine>(env.Namespace)).ShouldBeEmpty();
        await env.WaitForAsync(async () => (await env.Kube.ListAsync<Api.DevMachine>(env.Namespace)).Count == 0 ? "gone" : null, "the DevMachines to go");
    }
}
