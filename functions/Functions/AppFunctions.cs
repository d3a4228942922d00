using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessCapi.Functions.Diagnostics;
using ServerlessCapi.Functions.Dispatch;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Functions.Relay;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Kube.Relay;
using ServerlessCapi.Reconcilers.Kinds;

namespace ServerlessCapi.Functions;

/// <summary>The product's function list: the one registration behind <c>scapi run</c>; the isolated-worker app
/// (<c>functions/FunctionApp</c>) declares the same functions as <c>[Function]</c> methods, and a test keeps the two
/// lists equal.</summary>
public static class AppFunctions
{
    /// <summary>The queue the relay fills and the dispatcher drains.</summary>
    public const string EventsQueue = "capi-events";

    public static void Register(FunctionsBuilder f)
    {
        f.AddRuntimeDiagnostics();
        f.Queue<DispatchObjectEvent>("dispatch", EventsQueue);
        f.Timer<RelayTimer>("relay", "%RelaySchedule%");
        f.Timer<ResyncFunction>("resync", "%ResyncSchedule%");
        f.Timer<Provisioning.ProbeFunction>("probe", "%ProbeSchedule%");
        f.Timer<Provisioning.PurgeFunction>("purge", "%PurgeSchedule%");
        Admin.AdminFunction.Register(f);
        Dashboard.DashboardFunctions.Register(f);
        Webhooks.AdmissionWebhookFunction.Register(f);
    }

    /// <summary>Settings the app works with when nothing else sets them (the lowest-precedence layer).</summary>
    public static IReadOnlyDictionary<string, string?> DefaultSettings { get; } = new Dictionary<string, string?>
    {
        ["RelaySchedule"] = "0 * * * * *",
        ["ResyncSchedule"] = "0 */10 * * * *",
        ["ProbeSchedule"] = "30 * * * * *",
        ["PurgeSchedule"] = "0 17 * * * *",
    };

    /// <summary>The services the registered functions need.</summary>
    public static void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RelayOptions>().BindConfiguration(RelayOptions.Section).PostConfigure(ReconciledKinds.ConfigureRelay);
        services.AddOptions<ResyncOptions>().BindConfiguration(ResyncOptions.Section);
        services.TryAddSingleton(_ => ReconciledKinds.Routes());
        services.TryAddSingleton<DispatchMetrics>();
        services.TryAddSingleton(sp => sp.GetService<KubeApi>()?.OwnWrites ?? new OwnWrites());
        services.TryAddSingleton<RelayMetrics>();
        Observability.TelemetrySetup.Add(services, configuration);
        services.AddHostedService<RelayHost>();
        Webhooks.AdmissionWebhookFunction.AddServices(services, configuration);
        Dashboard.DashboardFunctions.AddServices(services);

        // The management cluster: a kubeconfig file (local runs), or its content (an app setting, typically a Key
        // Vault reference, on Azure).
        if (configuration["Kubeconfig"] is { Length: > 0 } kubeconfig)
        {
            services.TryAddSingleton(_ => KubeApi.FromKubeconfigFile(kubeconfig));
        }
        else if (configuration["KubeconfigContent"] is { Length: > 0 } content)
        {
            services.TryAddSingleton(_ => KubeApi.FromKubeconfigText(content));
        }
        else
        {
            services.TryAddSingleton<IObjectLookup, KnownUidLookup>();
            return;
        }
        services.TryAddSingleton(sp => sp.GetRequiredService<KubeApi>().Client);
        services.TryAddSingleton<IObjectLookup>(sp =>
            new KubeObjectLookup(sp.GetRequiredService<KubeApi>(), sp.GetRequiredService<IOptions<RelayOptions>>().Value.WatchedKinds));
        services.TryAddSingleton(CreateRelay);
        if (configuration[StorageAccount.ConnectionSetting] is { Length: > 0 } storage)
            Provisioning.ReconcilerServices.Add(services, configuration, storage);
    }

    private static WatchRelay CreateRelay(IServiceProvider sp)
    {
        var options = sp.GetRequiredService<IOptions<RelayOptions>>().Value;
        var storage = sp.GetRequiredService<StorageAccount>();
        IEventSink sink = new QueueEventSink(storage.Queue(options.Queue), sp.GetService<Telemetry.ProductMetrics>());
        if (options.EventGridEndpoint is { Length: > 0 } endpoint && options.EventGridKey is { Length: > 0 } key)
            sink = new CompositeEventSink([sink, new EventGridEventSink(new Uri(endpoint), key)]);
        return new WatchRelay(sp.GetRequiredService<IKubernetes>(), options, storage.Table(options.CheckpointTable),
            storage.Container(options.LeaseContainer), sink, sp.GetRequiredService<RelayMetrics>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>());
    }

    /// <summary>Without a management cluster only targets whose uid is known can be woken.</summary>
    private sealed class KnownUidLookup : IObjectLookup
    {
        public Task<string?> UidAsync(RouteTarget target, CancellationToken ct) => Task.FromResult(target.Uid);

        public Task<IReadOnlyList<(string Name, string Uid)>> MatchingAsync(RouteTarget target, CancellationToken ct) =>
            Task.FromResult<IReadOnlyList<(string Name, string Uid)>>([]);
    }
}
