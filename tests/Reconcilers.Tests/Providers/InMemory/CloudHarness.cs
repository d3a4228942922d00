using k8s.Models;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Providers.InMemory;
using ServerlessCapi.Providers.InMemory.Client;
using ServerlessCapi.Providers.InMemory.Cloud;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Reconcilers.Tests.Providers.InMemory;

/// <summary>An in-memory cloud on Azurite (its own table) whose workload clusters live in the shared embedded
/// API server, with a client; restartable on the same table.</summary>
public sealed class CloudHarness : IAsyncDisposable
{
    public const string Key = "test-cloud-key";

    private CloudHarness(InMemoryCloudOptions options, KubeWorkloadClusters workloads, EmbeddedApiServer.EmbeddedApiServer apiServer)
    {
        Options = options;
        Workloads = workloads;
        ApiServer = apiServer;
    }

    public EmbeddedApiServer.EmbeddedApiServer ApiServer { get; }

    public InMemoryCloudOptions Options { get; }
    public KubeWorkloadClusters Workloads { get; }
    public InMemoryCloudServer? Server { get; private set; }
    public InMemoryCloudClient? Client { get; private set; }

    public static async Task<CloudHarness> StartAsync(TimeProvider? clock = null)
    {
        var apiServer = await TestApiServer.SharedAsync();
        var workloads = new KubeWorkloadClusters(key => new Uri(apiServer.ClusterUrl(key)), apiServer.TokenFor,
            certificateAuthorityPem: apiServer.CertificateAuthorityPem);
        var options = new InMemoryCloudOptions
        {
            Key = Key,
            StorageConnectionString = await SharedAzurite.ConnectionStringAsync(),
            TableName = TestNames.Unique("cloud"),
            Clock = clock ?? TimeProvider.System,
            NodeLoopTick = TimeSpan.FromMilliseconds(50),
        };
        var harness = new CloudHarness(options, workloads, apiServer);
        await harness.RestartAsync();
        return harness;
    }

    /// <summary>Stops the cloud (if running) and starts a new one on the same table, like a process restart.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        Server = await InMemoryCloudServer.StartAsync(Options, Workloads);
        Client = new InMemoryCloudClient(Server.Url, Key);
    }

    public async Task StopAsync()
    {
        Client?.Dispose();
        Client = null;
        if (Server is not null) await Server.DisposeAsync();
        Server = null;
    }

    /// <summary>A workload cluster's Node by name, read through its Kubernetes API (null when absent).</summary>
    public async Task<V1Node?> NodeAsync(string ns, string cluster, string name)
    {
        using var api = new KubeApi(ApiServer.ClientConfig(InMemoryCloudNames.ClusterKey(ns, cluster)));
        return await api.GetAsync<V1Node>(null, name);
    }

    public static CreateVmRequest Vm(string ns, string machine, string role = VmRoles.Worker, TimeSpan? each = null, bool failBoot = false) => new()
    {
        ClusterNamespace = ns,
        ClusterName = "c1",
        MachineName = machine,
        Role = role,
        Version = "v1.33.0",
        Vm = new StartupTime(each ?? TimeSpan.Zero),
        Node = new StartupTime(each ?? TimeSpan.Zero),
        Etcd = new StartupTime(each ?? TimeSpan.Zero),
        ApiServer = new StartupTime(each ?? TimeSpan.Zero),
        FailBoot = failBoot,
    };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Workloads.Dispose();
    }
}
