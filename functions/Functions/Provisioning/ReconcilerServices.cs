using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Providers.InMemory.Client;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Hosting;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Functions.Provisioning;

/// <summary>Puts the durable host (a Durable Task Framework worker on the app's storage account) and every reconciler
/// into the app.</summary>
public static class ReconcilerServices
{
    /// <summary>Registers the task hub worker and client, and the Cluster API reconcilers behind it. The in-memory
    /// infrastructure's reconcilers join when <c>InMemoryCloud:Url</c> is set.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, string storageConnectionString)
    {
        services.TryAddSingleton(sp => DurableOptions(configuration, storageConnectionString, sp.GetRequiredService<ILoggerFactory>()));
        services.TryAddSingleton(sp => new DurableHost(sp.GetRequiredService<DurableHostOptions>(), sp.GetRequiredService<IObjectReconcile>(),
            sp.GetService<TimeProvider>()));
        services.TryAddSingleton(sp => sp.GetRequiredService<DurableHost>().Client);
        services.TryAddSingleton(sp => sp.GetRequiredService<DurableHost>().Signals);
        services.AddHostedService<DurableHostService>();
        services.TryAddSingleton<WorkloadProber>();
        // One Event recorder per process: its series cache and rate limits are what bound the Events the app writes.
        services.AddEventRecorder();
        var cloud = InMemoryCloudSettings.FromConfiguration(configuration);
        if (cloud is not null)
        {
            services.TryAddSingleton(cloud);
            services.TryAddSingleton(_ => new InMemoryCloudClient(cloud));
        }
        // The in-memory infrastructure's reconcilers need its cloud.
        services.AddReconcilers(kind => cloud is not null || !kind.NeedsInMemoryCloud);
    }

    /// <summary>The durable host's settings from the app's (<c>Durable:*</c>); unset ones keep the measured defaults.
    /// <c>Durable:Worker=false</c> makes it a client only.</summary>
    public static DurableHostOptions DurableOptions(IConfiguration configuration, string connectionString, ILoggerFactory loggers)
    {
        var defaults = new DurableHostOptions { ConnectionString = connectionString };
        var section = configuration.GetSection("Durable");
        return new DurableHostOptions
        {
            ConnectionString = connectionString,
            TaskHubName = section["HubName"] is { Length: > 0 } hub ? hub : defaults.TaskHubName,
            PartitionCount = Int(section["PartitionCount"]) ?? defaults.PartitionCount,
            MaxConcurrentReconciles = Int(section["MaxConcurrentSteps"]) ?? defaults.MaxConcurrentReconciles,
            // A failed reconcile is retried for ever with capped exponential backoff; both ends can be set.
            Backoff = new RetryBackoff(Time(section["RetryInitialDelay"]) ?? defaults.Backoff.Base, Time(section["RetryMaxDelay"]) ?? defaults.Backoff.Cap),
            ControlQueueVisibilityTimeout = Time(section["VisibilityTimeout"]) ?? defaults.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = Time(section["VisibilityTimeout"]) ?? defaults.WorkItemQueueVisibilityTimeout,
            PartitionLeaseInterval = Time(section["PartitionLeaseInterval"]) ?? defaults.PartitionLeaseInterval,
            MaxQueuePollingInterval = Time(section["MaxQueuePollingInterval"]) ?? defaults.MaxQueuePollingInterval,
            SignalHold = Time(section["SignalHold"]) ?? defaults.SignalHold,
            // A stable worker id (Azure's instance id, or one set per process) lets a restarted process take its
            // partitions straight back instead of waiting for their claims to expire.
            WorkerId = (section["WorkerId"] ?? configuration["WEBSITE_INSTANCE_ID"]) is { Length: > 0 } worker ? worker : defaults.WorkerId,
            // Under the Functions host the Durable extension runs the entities (entity trigger); this process then only
            // needs the client side of the same task hub.
            EnableWorker = !string.Equals(section["Worker"], "false", StringComparison.OrdinalIgnoreCase),
            LoggerFactory = loggers,
        };
    }

    private static int? Int(string? s) => int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static TimeSpan? Time(string? s) => TimeSpan.TryParse(s, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>Starts the durable host with the app and stops it (letting running reconciles finish) on shutdown.</summary>
    private sealed class DurableHostService(DurableHost host) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => host.StartAsync();

        public Task StopAsync(CancellationToken cancellationToken) => host.StopAsync();
    }
}
