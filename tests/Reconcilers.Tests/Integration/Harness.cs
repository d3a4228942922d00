using System.Text;
using System.Text.Json.Nodes;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Workload;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Reconcilers.Tests.Integration;

/// <summary>One test's world: the shared embedded API server with the CRDs applied, a fresh namespace, and
/// helpers to act as the providers (bootstrap, infrastructure, workload cluster) that are not under test.</summary>
public sealed class Harness : IDisposable
{
    private static readonly SemaphoreSlim CrdLock = new(1, 1);
    private static bool _crdsApplied;

    private Harness(EmbeddedApiServer.EmbeddedApiServer server, KubeApi kube, string ns)
    {
        Server = server;
        Kube = kube;
        Namespace = ns;
        Workloads = new WorkloadClusters(kube, NullLogger<WorkloadClusters>.Instance);
    }

    public EmbeddedApiServer.EmbeddedApiServer Server { get; }
    public KubeApi Kube { get; }
    public string Namespace { get; }
    public WorkloadClusters Workloads { get; }

    public static async Task<Harness> StartAsync()
    {
        CapiResources.Register();
        var server = await TestApiServer.SharedAsync();
        var kube = new KubeApi(server.ClientConfig());
        await CrdLock.WaitAsync();
        try
        {
            if (!_crdsApplied)
            {
                var applier = new ManifestApplier(kube);
                foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
                    await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file)));
                _crdsApplied = true;
            }
        }
        finally
        {
            CrdLock.Release();
        }
        var ns = TestNames.Unique("ns");
        await kube.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        return new Harness(server, kube, ns);
    }

    /// <summary>Acts as the control plane provider: a simulated workload cluster and its kubeconfig Secret.</summary>
    public async Task<KubeApi> CreateWorkloadClusterAsync(string clusterName)
    {
        var name = $"{Namespace}--{clusterName}";
        await Kube.CreateOrGetAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = WorkloadClusters.KubeconfigSecretName(clusterName),
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = clusterName },
            },
            Type = "cluster.x-k8s.io/secret",
            Data = new Dictionary<string, byte[]> { [WorkloadClusters.KubeconfigKey] = Encoding.UTF8.GetBytes(Server.KubeconfigYaml(name)) },
        });
        var workload = new KubeApi(Server.ClientConfig(name));
        await workload.CreateOrGetAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "default" } });
        return workload;
    }

    /// <summary>A Cluster whose infrastructure and control plane the test reports as ready (or not).</summary>
    public async Task<Api.Cluster> CreateClusterAsync(string name, bool infrastructureProvisioned = true, bool controlPlaneInitialized = true)
    {
        var cluster = await Kube.CreateAsync(new Api.Cluster
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new ClusterSpec { ControlPlaneEndpoint = new ApiEndpoint { Host = "127.0.0.1", Port = 6443 } },
        });
        var status = new JsonObject
        {
            ["initialization"] = new JsonObject { ["infrastructureProvisioned"] = infrastructureProvisioned, ["controlPlaneInitialized"] = controlPlaneInitialized },
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = ClusterConditions.ControlPlaneInitialized,
                ["status"] = ConditionStatus.Of(controlPlaneInitialized),
                ["reason"] = controlPlaneInitialized ? ClusterReasons.ControlPlaneInitialized : ClusterReasons.ControlPlaneNotInitialized,
                ["message"] = "",
                ["lastTransitionTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
            }),
        };
        return await Kube.MergePatchAsync<Api.Cluster>(Namespace, name, new JsonObject { ["status"] = status }, status: true);
    }

    /// <summary>A Machine with its bootstrap config and infrastructure machine (not yet ready).</summary>
    public async Task<Api.Machine> CreateMachineAsync(string name, string cluster, bool controlPlane = false, Action<Api.Machine>? edit = null)
    {
        await Kube.CreateAsync(new Api.KubeadmConfig { Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace } });
        await Kube.CreateAsync(new Api.DevMachine
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new DevMachineSpec { Backend = new DevMachineBackendSpec { InMemory = new InMemoryMachineBackendSpec() } },
        });
        var machine = new Api.Machine
        {
            Metadata = new V1ObjectMeta
            {
                Name = name,
                NamespaceProperty = Namespace,
                Labels = controlPlane ? new Dictionary<string, string> { [CapiLabels.ControlPlane] = "" } : null,
            },
            Spec = new MachineSpec
            {
                ClusterName = cluster,
                Version = "v1.31.0",
                Bootstrap = new MachineBootstrap { ConfigRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Bootstrap, Kind = Api.KubeadmConfig.KubeKind, Name = name } },
                InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = Api.DevMachine.KubeKind, Name = name },
            },
        };
        edit?.Invoke(machine);
        return await Kube.CreateAsync(machine);
    }

    /// <summary>Acts as the bootstrap provider: the data Secret exists.</summary>
    public Task MarkBootstrapReadyAsync(string name) =>
        Kube.MergePatchAsync<Api.KubeadmConfig>(Namespace, name, new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["dataSecretName"] = name,
                ["initialization"] = new JsonObject { ["dataSecretCreated"] = true },
                ["conditions"] = new JsonArray(Condition("Ready", "True", "Ready", "")),
            },
        }, status: true);

    /// <summary>Acts as the infrastructure provider: the VM runs (or failed to boot).</summary>
    public async Task MarkInfrastructureAsync(string name, bool provisioned, string reason = "Ready", string message = "")
    {
        var providerId = ProviderId(name);
        if (provisioned)
            await Kube.MergePatchAsync<Api.DevMachine>(Namespace, name, new JsonObject { ["spec"] = new JsonObject { ["providerID"] = providerId } });
        var status = new JsonObject
        {
            ["conditions"] = new JsonArray(Condition("Ready", ConditionStatus.Of(provisioned), reason, message)),
        };
        if (provisioned)
        {
            status["initialization"] = new JsonObject { ["provisioned"] = true };
            status["addresses"] = new JsonArray(new JsonObject { ["type"] = "InternalIP", ["address"] = "10.0.0.7" });
        }
        await Kube.MergePatchAsync<Api.DevMachine>(Namespace, name, new JsonObject { ["status"] = status }, status: true);
    }

    public string ProviderId(string machine) => $"in-memory://{Namespace}/{machine}";

    /// <summary>Acts as the kubelet: a Node for the Machine in the workload cluster.</summary>
    public static Task<V1Node> CreateNodeAsync(KubeApi workload, string name, string providerId, string ready = "True") =>
        workload.CreateAsync(new V1Node
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1NodeSpec { ProviderID = providerId },
            Status = new V1NodeStatus
            {
                NodeInfo = new V1NodeSystemInfo
                {
                    KubeletVersion = "v1.31.0",
                    OsImage = "Simulated",
                    Architecture = "amd64",
                    OperatingSystem = "linux",
                    MachineID = "m",
                    SystemUUID = "s",
                    BootID = "b",
                    KernelVersion = "6.1",
                    ContainerRuntimeVersion = "containerd://1.7",
                    KubeProxyVersion = "v1.31.0",
                },
                Conditions =
                [
                    new V1NodeCondition { Type = "Ready", Status = ready, Reason = "KubeletReady" },
                    new V1NodeCondition { Type = "MemoryPressure", Status = "False" },
                    new V1NodeCondition { Type = "DiskPressure", Status = "False" },
                    new V1NodeCondition { Type = "PIDPressure", Status = "False" },
                ],
            },
        });

    public Task<Api.Machine?> MachineAsync(string name) => Kube.GetAsync<Api.Machine>(Namespace, name);

    private static JsonObject Condition(string type, string status, string reason, string message) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["reason"] = reason,
        ["message"] = message,
        ["lastTransitionTime"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture),
    };

    public void Dispose()
    {
        Workloads.Dispose();
        Kube.Dispose();
    }
}
