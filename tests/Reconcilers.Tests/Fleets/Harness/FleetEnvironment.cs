using System.Text;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Reconcilers.MachineDeployments;
using ServerlessCapi.Reconcilers.MachineHealthChecks;
using ServerlessCapi.Reconcilers.MachineSets;
using ServerlessCapi.Reconcilers.Workload;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;
using Xunit.Abstractions;
using MachineReconciler = ServerlessCapi.Reconcilers.Machine.MachineReconciler;

namespace ServerlessCapi.FleetTests.Harness;

/// <summary>Everything a fleet integration test runs on: the embedded API server (shared, CRDs applied), its own
/// namespace, the durable host on Azurite (its own task hub), the fleet workflows with CAPI's Machine workflow, a
/// stand-in infrastructure provider, and a dispatcher routing changes to workflows.</summary>
internal sealed class FleetEnvironment : IAsyncDisposable
{
    private static readonly SemaphoreSlim CrdLock = new(1, 1);
    private static bool _crdsApplied;

    private readonly ServiceProvider _services;
    private readonly DurableHost _host;
    private readonly TestDispatcher _dispatcher;
    private readonly ILogger _log;

    private FleetEnvironment(EmbeddedApiServer.EmbeddedApiServer server, KubeApi kube, string ns, ServiceProvider services, DurableHost host,
        TestDispatcher dispatcher)
    {
        Server = server;
        Kube = kube;
        Namespace = ns;
        _services = services;
        _host = host;
        _dispatcher = dispatcher;
        _log = services.GetRequiredService<ILoggerFactory>().CreateLogger("FleetTest");
    }

    public EmbeddedApiServer.EmbeddedApiServer Server { get; }

    public KubeApi Kube { get; }

    public string Namespace { get; }

    public ObjectWorkflowClient Workflows => _host.Client;

    /// <summary>The recorder the reconcilers write their Kubernetes Events through.</summary>
    public EventRecorder Events => _services.GetRequiredService<EventRecorder>();

    /// <summary>The Events on one object of the namespace, read through core v1 as kubectl describe reads them.</summary>
    public Task<IReadOnlyList<Corev1Event>> EventsOnAsync(string kind, string name) =>
        Kube.ListAsync<Corev1Event>(Namespace, fieldSelector: $"involvedObject.kind={kind},involvedObject.name={name}");

    /// <param name="outage">When given, the reconcilers' requests to the management cluster pass through it (the test and
    /// its dispatcher keep a client of their own).</param>
    /// <param name="backoff">The retry backoff of failed reconciles (default 200 ms doubling to 2 s).</param>
    public static async Task<FleetEnvironment> StartAsync(ITestOutputHelper output, TimeSpan? bootTime = null, TimeSpan? nodePoll = null,
        ApiOutage? outage = null, RetryBackoff? backoff = null)
    {
        CapiResources.Register();
        var server = await TestApiServer.SharedAsync();
        var kube = KubeApi.FromKubeconfigText(server.KubeconfigYaml());
        await EnsureCrdsAsync(kube);
        var ns = TestNames.Unique("fleet");
        await kube.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });

        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new TestOutputLoggerProvider(output, LogLevel.Information)).SetMinimumLevel(LogLevel.Information));
        services.AddSingleton(outage is null ? kube : new KubeApi(server.ClientConfig(), outage));
        services.AddSingleton<WorkloadClusters>();
        services.AddEventRecorder();
        services.AddSingleton(new MachineHealthCheckOptions { NodePollInterval = nodePoll ?? TimeSpan.FromSeconds(1) });
        services.AddSingleton(new StandInInfrastructureOptions { BootTime = bootTime ?? TimeSpan.Zero });
        services.AddReconciler<MachineSetReconciler>()
            .AddReconciler<MachineDeploymentReconciler>()
            .AddReconciler<MachineHealthCheckReconciler>()
            .AddReconciler<MachineReconciler>()
            .AddReconciler<StandInDevMachineReconciler>();
        var provider = services.BuildServiceProvider();
        var host = new DurableHost(new DurableHostOptions
        {
            ConnectionString = await SharedAzurite.ConnectionStringAsync(),
            TaskHubName = ns,
            PartitionCount = 2,
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(250),
            Backoff = backoff ?? new RetryBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(2)),
            LoggerFactory = provider.GetRequiredService<ILoggerFactory>(),
        }, provider.GetRequiredService<IObjectReconcile>());
        await host.StartAsync();

        var kinds = new HashSet<string>(StringComparer.Ordinal)
        {
            Machine.KubeKind, MachineSet.KubeKind, MachineDeployment.KubeKind, MachineHealthCheck.KubeKind, DevMachine.KubeKind,
        };
        var dispatcher = new TestDispatcher(kube, host.Client, ns, kinds, provider.GetRequiredService<ILoggerFactory>().CreateLogger("Dispatcher"));
        dispatcher.Start();
        return new FleetEnvironment(server, kube, ns, provider, host, dispatcher);
    }

    private static async Task EnsureCrdsAsync(KubeApi kube)
    {
        await CrdLock.WaitAsync();
        try
        {
            if (_crdsApplied) return;
            var applier = new ManifestApplier(kube, "fleet-tests");
            foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
                await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file)));
            _crdsApplied = true;
        }
        finally
        {
            CrdLock.Release();
        }
    }

    /// <summary>A Cluster whose infrastructure is provisioned and control plane initialized (the test plays the
    /// control plane provider: it also writes the kubeconfig Secret of a workload cluster on the embedded server).</summary>
    public async Task<Cluster> CreateReadyClusterAsync(string name)
    {
        var cluster = await Kube.CreateAsync(new Cluster
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            // The CRD requires a spec with at least one property, as the API server enforces.
            Spec = new ClusterSpec { ControlPlaneEndpoint = new ApiEndpoint { Host = "127.0.0.1", Port = 6443 } },
        });
        var now = Conditions.Truncate(DateTime.UtcNow).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
        JsonObject Condition(string type, string reason) => new() { ["type"] = type, ["status"] = "True", ["reason"] = reason, ["message"] = "", ["lastTransitionTime"] = now };
        var status = new JsonObject
        {
            ["status"] = new JsonObject
            {
                ["initialization"] = new JsonObject { ["infrastructureProvisioned"] = true, ["controlPlaneInitialized"] = true },
                ["conditions"] = new JsonArray(Condition(ClusterConditions.InfrastructureReady, "Ready"), Condition(ClusterConditions.ControlPlaneInitialized, "Initialized")),
            },
        };
        cluster = await Kube.MergePatchAsync<Cluster>(Namespace, name, status, status: true);
        await Kube.CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta
            {
                Name = WorkloadClusters.KubeconfigSecretName(name),
                NamespaceProperty = Namespace,
                Labels = new Dictionary<string, string> { [CapiLabels.ClusterName] = name },
            },
            Type = "cluster.x-k8s.io/secret",
            Data = new Dictionary<string, byte[]> { [WorkloadClusters.KubeconfigKey] = Encoding.UTF8.GetBytes(Server.KubeconfigYaml(WorkloadClusterKey(name))) },
        });
        return cluster;
    }

    public string WorkloadClusterKey(string cluster) => $"{Namespace}--{cluster}";

    /// <summary>The workload cluster's API (Nodes live there).</summary>
    public KubeApi Workload(string cluster) => KubeApi.FromKubeconfigText(Server.KubeconfigYaml(WorkloadClusterKey(cluster)));

    /// <summary>The infrastructure template the Machines are cloned from.</summary>
    public Task<DevMachineTemplate> CreateMachineTemplateAsync(string name) =>
        Kube.CreateAsync(new DevMachineTemplate
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new DevMachineTemplateSpec { Template = new DevMachineTemplateResource { Spec = new DevMachineSpec() } },
        });

    /// <summary>A Machine template: bootstrap data given directly (no bootstrap provider needed), infrastructure
    /// from <paramref name="infrastructureTemplate"/>.</summary>
    public static MachineTemplateSpec Template(string cluster, string version, string infrastructureTemplate) => new()
    {
        Spec = new MachineSpec
        {
            ClusterName = cluster,
            Version = version,
            Bootstrap = new MachineBootstrap { DataSecretName = "bootstrap-data" },
            InfrastructureRef = new ContractVersionedObjectReference { ApiGroup = CapiGroups.Infrastructure, Kind = DevMachineTemplate.KubeKind, Name = infrastructureTemplate },
        },
    };

    public Task<IReadOnlyList<Machine>> MachinesAsync(string? labelSelector = null) => Kube.ListAsync<Machine>(Namespace, labelSelector);

    /// <summary>Makes a Node Ready or NotReady from now on, as a kubelet would report it.</summary>
    public async Task SetNodeReadyAsync(string cluster, string node, bool ready)
    {
        using var workload = Workload(cluster);
        var now = DateTime.UtcNow;
        var status = new V1NodeStatus
        {
            Conditions =
            [
                new V1NodeCondition
                {
                    Type = "Ready", Status = ready ? "True" : "False", Reason = ready ? "KubeletReady" : "KubeletNotReady", LastTransitionTime = now, LastHeartbeatTime = now,
                },
                new V1NodeCondition { Type = "MemoryPressure", Status = "False", Reason = "KubeletHasSufficientMemory", LastTransitionTime = now },
                new V1NodeCondition { Type = "DiskPressure", Status = "False", Reason = "KubeletHasNoDiskPressure", LastTransitionTime = now },
                new V1NodeCondition { Type = "PIDPressure", Status = "False", Reason = "KubeletHasSufficientPID", LastTransitionTime = now },
            ],
        };
        var patch = new JsonObject { ["status"] = JsonNode.Parse(KubernetesJson.Serialize(status)) };
        await workload.MergePatchAsync<V1Node>(null, node, patch, status: true);
    }

    /// <summary>Waits for <paramref name="condition"/>; on timeout the fleet's objects go to the test output first.</summary>
    public async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        try
        {
            await WaitFor.ConditionAsync(condition, timeout, what);
        }
        catch (TimeoutException)
        {
            await DumpAsync();
            throw;
        }
    }

    /// <summary>Waits until MachineDeployment <paramref name="deployment"/> has <paramref name="replicas"/> available,
    /// up-to-date Machines at <paramref name="version"/> in a single MachineSet, its status observing its generation.</summary>
    public Task WaitForRolledOutAsync(string deployment, int replicas, string version, TimeSpan timeout) =>
        WaitAsync(async () =>
        {
            var md = await Kube.GetAsync<MachineDeployment>(Namespace, deployment);
            var machines = await MachinesAsync($"{CapiLabels.DeploymentName}={deployment}");
            var sets = await Kube.ListAsync<MachineSet>(Namespace);
            return md is not null && md.Status.ObservedGeneration == md.Metadata.Generation
                   && md.Status.AvailableReplicas == replicas && md.Status.UpToDateReplicas == replicas && md.Status.Replicas == replicas
                   && machines.Count == replicas && machines.All(m => m.Spec.Version == version && MachineFacts.IsAvailable(m) && !MachineFacts.IsDeleting(m))
                   && sets.Count == 1;
        }, timeout, $"{replicas} available Machines at {version} in one MachineSet");

    /// <summary>Writes the status of every fleet object of the namespace to the test output.</summary>
    public async Task DumpAsync()
    {
        var lines = new List<string>();
        foreach (var md in await Kube.ListAsync<MachineDeployment>(Namespace))
            lines.Add($"MachineDeployment {md.Metadata.Name} gen {md.Metadata.Generation} status {Manifests.ToJson(md)["status"]?.ToJsonString()}");
        foreach (var ms in await Kube.ListAsync<MachineSet>(Namespace))
            lines.Add($"MachineSet {ms.Metadata.Name} replicas {ms.Spec.Replicas} gen {ms.Metadata.Generation} status {Manifests.ToJson(ms)["status"]?.ToJsonString()}");
        foreach (var m in await MachinesAsync())
            lines.Add($"Machine {m.Metadata.Name} deleting {m.Metadata.DeletionTimestamp is not null} conditions {string.Join("; ", (m.Status.Conditions ?? []).Select(c => c.ToString()))}");
        foreach (var check in await Kube.ListAsync<MachineHealthCheck>(Namespace))
            lines.Add($"MachineHealthCheck {check.Metadata.Name} status {Manifests.ToJson(check)["status"]?.ToJsonString()}");
        _log.LogWarning("Fleet state:\n{State}", string.Join("\n", lines));
    }

    public async ValueTask DisposeAsync()
    {
        await _dispatcher.DisposeAsync();
        await _host.DisposeAsync();
        foreach (var provider in _services.GetServices<ILoggerProvider>()) provider.Dispose();
        await _services.DisposeAsync();
    }
}
