using System.Text.Json.Nodes;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Integration.Tests;

/// <summary>A Cluster with a managed topology from the ClusterClass quickstart, on what <c>scapi up</c> runs (separate
/// processes, webhooks registered, the ClusterTopology gate on): it converges to an infrastructure cluster, a control
/// plane, a MachineDeployment and health checks with every Machine Running; it scales, upgrades the control plane before
/// the workers, adds and removes a worker topology; the webhooks refuse bad input with field paths. The class's
/// variables reach the generated objects through its patches (defaults, Cluster values, a MachineDeployment override, a
/// builtin, an enabledIf gate), a changed variable rotates the worker template, and an invalid value is reported on the
/// Cluster's TopologyReconciled condition with its field path.</summary>
public sealed class ClusterClassTopologyTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);
    private const string Ns = "topology";

    private static string Sample() =>
        File.ReadAllText(Path.Combine(RepoPaths.Root, "samples", "clusterclass-quickstart.yaml"))
            .Replace("namespace: default", $"namespace: {Ns}", StringComparison.Ordinal)
            .Replace("startupDuration: 1s", "startupDuration: 0s", StringComparison.Ordinal);

    private static async Task InstallCrdsAsync(string kubeconfig, CancellationToken ct)
    {
        using var kube = KubeApi.FromKubeconfigFile(kubeconfig);
        var applier = new ManifestApplier(kube);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
            await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file, ct)), ct: ct);
    }

    private const string ImageRepositoryDefault = "registry.k8s.io";
    private const string ClassLabel = "node-labels=node.cluster.x-k8s.io/worker-class=default-worker";

    [Fact]
    public async Task A_topology_converges_with_patched_variables_scales_upgrades_control_plane_first_and_follows_worker_topologies()
    {
        var state = Directory.CreateTempSubdirectory("scapi-topology-");
        var env = await LocalEnvironment.StartAsync(new LocalEnvironmentOptions(state.FullName, Instances: 1, PersistentStorage: false,
            BeforeApps: InstallCrdsAsync, Webhooks: true, AppSettings: new Dictionary<string, string> { ["Admission__ClusterTopology"] = "true" }));
        try
        {
            CapiResources.Register();
            using var kube = KubeApi.FromKubeconfigFile(env.KubeconfigPath);
            await kube.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Ns } });
            await new ManifestApplier(kube).ApplyAsync(ManifestApplier.Parse(Sample()));

            await MachinesRunningAsync(kube, controlPlane: 1, workers: 2, "v1.33.0", env);
            var cluster = (await kube.GetAsync<Api.Cluster>(Ns, "demo-cc"))!;
            cluster.Spec.InfrastructureRef!.Kind.ShouldBe(DevCluster.KubeKind);
            cluster.Spec.ControlPlaneRef!.Kind.ShouldBe(KubeadmControlPlane.KubeKind);
            var kcp = (await kube.GetAsync<KubeadmControlPlane>(Ns, cluster.Spec.ControlPlaneRef.Name))!;
            kcp.Metadata.Labels![TopologyMetadata.OwnedLabel].ShouldBe("");
            kcp.Spec.MachineTemplate.Spec.InfrastructureRef.Name.ShouldStartWith("demo-cc-");
            var md = (await kube.ListAsync<MachineDeployment>(Ns)).ShouldHaveSingleItem();
            md.Metadata.Name.ShouldStartWith("demo-cc-md-0-");
            md.Metadata.Labels![TopologyMetadata.DeploymentNameLabel].ShouldBe("md-0");
            md.Spec.Template.Spec.Bootstrap.ConfigRef!.Name.ShouldStartWith("demo-cc-md-0-");
            (await kube.ListAsync<MachineHealthCheck>(Ns)).Select(m => m.Metadata.Name).ShouldBe([md.Metadata.Name]);
            Conditions.Get(cluster.Status, TopologyConditions.TopologyReconciled)!.Reason.ShouldBe(TopologyReasons.ReconcileSucceeded);

            // The class's patches: the image repository default (the Cluster sets none), no etcd settings (the enabledIf
            // gate is off without the etcd variable), md-0's override of kubeletMaxPods and the builtin class in a template.
            var clusterConfiguration = kcp.Spec.KubeadmConfigSpec!.ClusterConfiguration!;
            clusterConfiguration.ImageRepository.ShouldBe(ImageRepositoryDefault);
            clusterConfiguration.Etcd.ShouldBeNull();
            (await KubeletArgsAsync(kube, md)).ShouldBe(["max-pods=150", ClassLabel]);

            // Scale the worker topology.
            await PatchTopologyAsync(kube, new JsonObject { ["workers"] = Workers(("md-0", 3, 150)) });
            await MachinesRunningAsync(kube, controlPlane: 1, workers: 3, "v1.33.0", env);

            // Upgrade: the control plane takes the version while the workers keep theirs, then the workers follow.
            await PatchTopologyAsync(kube, new JsonObject { ["version"] = "v1.34.0" });
            await WaitFor.ConditionAsync(async () =>
                (await kube.GetAsync<KubeadmControlPlane>(Ns, cluster.Spec.ControlPlaneRef.Name))!.Spec.Version == "v1.34.0", Timeout, "control plane at v1.34.0");
            (await kube.ListAsync<MachineDeployment>(Ns)).Single().Spec.Template.Spec.Version.ShouldBe("v1.33.0",
                "workers wait until the control plane runs the new version");
            // The reconcile that moved the control plane writes the Cluster's status at its end.
            await WaitFor.ConditionAsync(async () => Conditions.Get((await kube.GetAsync<Api.Cluster>(Ns, "demo-cc"))!.Status,
                TopologyConditions.TopologyReconciled) is { Status: ConditionStatus.False, Reason: TopologyReasons.ClusterUpgrading }, Timeout, "TopologyReconciled False/ClusterUpgrading");
            await MachinesRunningAsync(kube, controlPlane: 1, workers: 3, "v1.34.0", env);

            // Add and remove a worker topology.
            await PatchTopologyAsync(kube, new JsonObject { ["workers"] = Workers(("md-0", 3, 150), ("md-1", 1, null)) });
            await MachinesRunningAsync(kube, controlPlane: 1, workers: 4, "v1.34.0", env);
            // md-1 has no override: it takes the Cluster-wide kubeletMaxPods.
            var md1 = (await kube.ListAsync<MachineDeployment>(Ns)).Single(m => m.Metadata.Labels![TopologyMetadata.DeploymentNameLabel] == "md-1");
            (await KubeletArgsAsync(kube, md1)).ShouldBe(["max-pods=200", ClassLabel]);
            await PatchTopologyAsync(kube, new JsonObject { ["workers"] = Workers(("md-0", 3, 150)) });
            await WaitFor.ConditionAsync(async () => (await kube.ListAsync<MachineDeployment>(Ns)).Count == 1
                && (await kube.ListAsync<MachineHealthCheck>(Ns)).Count == 1, Timeout, "md-1 and its health check gone");
            await MachinesRunningAsync(kube, controlPlane: 1, workers: 3, "v1.34.0", env);

            // A changed override rotates md-0's bootstrap template: a new one with the new value, the MachineDeployment
            // pointed at it.
            var oldTemplate = (await kube.ListAsync<MachineDeployment>(Ns)).Single().Spec.Template.Spec.Bootstrap.ConfigRef!.Name;
            await PatchTopologyAsync(kube, new JsonObject { ["workers"] = Workers(("md-0", 3, 180)) });
            var rotated = await WaitFor.ValueAsync(async () => (await kube.ListAsync<MachineDeployment>(Ns)).SingleOrDefault(m =>
                m.Spec.Template.Spec.Bootstrap.ConfigRef!.Name != oldTemplate), Timeout, "md-0 pointed at a new bootstrap template");
            rotated.Spec.Template.Spec.Bootstrap.ConfigRef!.Name.ShouldStartWith("demo-cc-md-0-");
            (await KubeletArgsAsync(kube, rotated)).ShouldBe(["max-pods=180", ClassLabel]);
            await MachinesRunningAsync(kube, controlPlane: 1, workers: 3, "v1.34.0", env);

            // Setting the etcd variable turns its patch on: the control plane gets the set data directory and the
            // schema's default snapshot count; the image repository keeps its default.
            await PatchTopologyAsync(kube, new JsonObject { ["variables"] = Variables(200, new JsonObject { ["dataDir"] = "/var/lib/etcd-demo" }) });
            var etcd = await WaitFor.ValueAsync(async () =>
                (await kube.GetAsync<KubeadmControlPlane>(Ns, cluster.Spec.ControlPlaneRef.Name))!.Spec.KubeadmConfigSpec!.ClusterConfiguration!.Etcd?.Local,
                Timeout, "etcd settings patched into the control plane");
            etcd.DataDir.ShouldBe("/var/lib/etcd-demo");
            etcd.ExtraArgs!.Select(a => $"{a.Name}={a.Value}").ShouldBe(["snapshot-count=10000"]);
            (await kube.GetAsync<KubeadmControlPlane>(Ns, cluster.Spec.ControlPlaneRef.Name))!.Spec.KubeadmConfigSpec!.ClusterConfiguration!
                .ImageRepository.ShouldBe(ImageRepositoryDefault);

            // The webhooks refuse a downgrade and a duplicate worker name, naming the field.
            var refused = await Should.ThrowAsync<KubeApiException>(() => PatchTopologyAsync(kube, new JsonObject { ["version"] = "v1.33.0" }));
            refused.Message.ShouldContain("spec.topology.version");
            refused = await Should.ThrowAsync<KubeApiException>(() => PatchTopologyAsync(kube, new JsonObject { ["workers"] = Workers(("md-0", 3, 180), ("md-0", 1, null)) }));
            refused.Message.ShouldContain("spec.topology.workers.machineDeployments");

            // The Cluster webhook does not check variables (that needs the ClusterClass): the topology reconciler
            // reports a value outside the schema, naming the field, and leaves the generated objects alone (had it gone on,
            // dropping the etcd variable would have taken the etcd settings off the control plane).
            await PatchTopologyAsync(kube, new JsonObject { ["variables"] = Variables(5, null) });
            await WaitFor.ConditionAsync(async () => Conditions.Get((await kube.GetAsync<Api.Cluster>(Ns, "demo-cc"))!.Status,
                TopologyConditions.TopologyReconciled) is { Status: ConditionStatus.False, Reason: TopologyReasons.ReconcileFailed } c && c.Message.Contains("spec.topology.variables[0].value", StringComparison.Ordinal)
                    && c.Message.Contains("greater than or equal to 10", StringComparison.Ordinal),
                Timeout, "TopologyReconciled False/ReconcileFailed naming spec.topology.variables[0].value and its minimum");
            (await kube.GetAsync<KubeadmControlPlane>(Ns, cluster.Spec.ControlPlaneRef.Name))!.Spec.KubeadmConfigSpec!.ClusterConfiguration!.Etcd.ShouldNotBeNull();
        }
        finally
        {
            await env.DisposeAsync();
            state.Delete(recursive: true);
        }
    }

    /// <summary>Worker topologies of the default class, each with its own kubeletMaxPods when given.</summary>
    private static JsonObject Workers(params (string Name, int Replicas, int? MaxPods)[] topologies) => new()
    {
        ["machineDeployments"] = new JsonArray([.. topologies.Select(t =>
        {
            var md = new JsonObject { ["class"] = "default-worker", ["name"] = t.Name, ["replicas"] = t.Replicas };
            if (t.MaxPods is { } maxPods)
                md["variables"] = new JsonObject { ["overrides"] = new JsonArray(new JsonObject { ["name"] = "kubeletMaxPods", ["value"] = maxPods }) };
            return (JsonNode)md;
        })]),
    };

    /// <summary>The Cluster-wide variables: kubeletMaxPods first, then etcd when given.</summary>
    private static JsonArray Variables(int maxPods, JsonObject? etcd)
    {
        var variables = new JsonArray(new JsonObject { ["name"] = "kubeletMaxPods", ["value"] = maxPods });
        if (etcd is not null)
            variables.Add(new JsonObject { ["name"] = "etcd", ["value"] = etcd });
        return variables;
    }

    /// <summary>The kubelet arguments of the bootstrap template a MachineDeployment points at, as name=value.</summary>
    private static async Task<string[]> KubeletArgsAsync(KubeApi kube, MachineDeployment md)
    {
        var name = md.Spec.Template.Spec.Bootstrap.ConfigRef!.Name;
        var template = (await kube.GetAsync<KubeadmConfigTemplate>(Ns, name)).ShouldNotBeNull($"KubeadmConfigTemplate {name}");
        var args = template.Spec.Template.Spec?.JoinConfiguration?.NodeRegistration?.KubeletExtraArgs;
        args.ShouldNotBeNull($"kubeletExtraArgs in {k8s.KubernetesJson.Serialize(template)}");
        return [.. args!.Select(a => $"{a.Name}={a.Value}")];
    }

    private static Task<Api.Cluster> PatchTopologyAsync(KubeApi kube, JsonObject topology) =>
        kube.MergePatchAsync<Api.Cluster>(Ns, "demo-cc", new JsonObject { ["spec"] = new JsonObject { ["topology"] = topology } });

    private static Task MachinesRunningAsync(KubeApi kube, int controlPlane, int workers, string version, LocalEnvironment env) =>
        WaitFor.ConditionAsync(async () =>
        {
            var machines = (await kube.ListAsync<Api.Machine>(Ns)).Where(m => m.Metadata.DeletionTimestamp is null).ToList();
            var cp = machines.Count(m => m.Metadata.Labels?.ContainsKey(CapiLabels.ControlPlane) == true);
            return cp == controlPlane && machines.Count - cp == workers
                && machines.All(m => m.Status.Phase == MachinePhase.Running && m.Spec.Version == version);
        }, Timeout, $"{controlPlane} control-plane and {workers} worker Machines Running at {version} (logs: {env.LogDir})");
}
