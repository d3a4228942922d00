using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Providers.InMemory.Client;
using ServerlessCapi.Reconcilers.DevCluster;
using ServerlessCapi.Reconcilers.DevMachine;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.KubeadmConfig;
using ServerlessCapi.Reconcilers.KubeadmControlPlane;
using ServerlessCapi.Reconcilers.ProviderCommon;
using ServerlessCapi.Reconcilers.Tests.Providers.InMemory;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Support;

/// <summary>Everything a provider workflow test runs on: the shared embedded API server with the CRDs, a
/// namespace of its own, the in-memory cloud on Azurite (workload clusters in the same API server), and the
/// four provider workflows driven in-process.</summary>
public sealed class ProviderEnvironment : IAsyncDisposable
{
    private static readonly SemaphoreSlim CrdLock = new(1, 1);
    private static bool _crdsApplied;

    private ProviderEnvironment(EmbeddedApiServer.EmbeddedApiServer server, KubeApi kube, string ns, CloudHarness cloud,
        InMemoryCloudClient client, WorkflowDriver driver)
    {
        Server = server;
        Kube = kube;
        Namespace = ns;
        Cloud = cloud;
        CloudClient = client;
        Driver = driver;
    }

    public EmbeddedApiServer.EmbeddedApiServer Server { get; }
    public KubeApi Kube { get; }
    public string Namespace { get; }
    public CloudHarness Cloud { get; }
    public InMemoryCloudClient CloudClient { get; }
    public WorkflowDriver Driver { get; }

    /// <param name="more">Further reconcilers to run (for example the core ones a test needs for real), given the management
    /// cluster's API and the in-memory cloud's client.</param>
    public static async Task<ProviderEnvironment> StartAsync(bool coreStandIn = true,
        Func<KubeApi, InMemoryCloudClient, IEnumerable<IObjectReconciler>>? more = null)
    {
        CapiResources.Register();
        ProviderTiming.WaitForCluster = TimeSpan.FromMilliseconds(200);
        ProviderTiming.WaitForClusterLimit = TimeSpan.FromSeconds(1);
        ProviderTiming.WaitForDeletion = TimeSpan.FromMilliseconds(200);
        ProviderTiming.WaitForDeletionLimit = TimeSpan.FromSeconds(1);
        var server = await TestApiServer.SharedAsync();
        var kube = new KubeApi(server.ClientConfig());
        await ApplyCrdsOnceAsync(kube);
        var ns = TestNames.Unique("prov");
        await kube.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });

        var cloud = await CloudHarness.StartAsync();
        var settings = new InMemoryCloudSettings(cloud.Server!.Url, CloudHarness.Key, server.Token);
        var client = new InMemoryCloudClient(settings);
        IObjectReconciler[] workflows =
        [
            new DevClusterReconciler(kube, client, NullLogger<DevClusterReconciler>.Instance),
            new DevMachineReconciler(kube, client, NullLogger<DevMachineReconciler>.Instance),
            new KubeadmConfigReconciler(kube, NullLogger<KubeadmConfigReconciler>.Instance),
            new KubeadmControlPlaneReconciler(kube, NullLogger<KubeadmControlPlaneReconciler>.Instance, client, settings),
            .. more?.Invoke(kube, client) ?? [],
        ];
        var driver = new WorkflowDriver(kube, ns, workflows, coreStandIn ? CoreStandIn.RoundAsync : null);
        driver.Start();
        return new ProviderEnvironment(server, kube, ns, cloud, client, driver);
    }

    /// <summary>Waits for <paramref name="probe"/>; on timeout the failure lists the errors the workflows hit.</summary>
    public async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, string what, TimeSpan? timeout = null) where T : class
    {
        try
        {
            return await WaitFor.ValueAsync(probe, timeout ?? TimeSpan.FromSeconds(60), what);
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Workflow errors: {string.Join(" | ", Driver.Errors.TakeLast(10))}", e);
        }
    }

    private static async Task ApplyCrdsOnceAsync(KubeApi kube)
    {
        await CrdLock.WaitAsync();
        try
        {
            if (_crdsApplied) return;
            var applier = new ManifestApplier(kube);
            foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
                await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file)));
            _crdsApplied = true;
        }
        finally
        {
            CrdLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Driver.DisposeAsync();
        CloudClient.Dispose();
        await Cloud.DisposeAsync();
        Kube.Dispose();
    }
}
