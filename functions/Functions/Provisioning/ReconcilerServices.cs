using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using ServerlessCapi.Durable;
using ServerlessCapi.Providers.InMemory.Client;
using ServerlessCapi.Reconcilers.Events;
using ServerlessCapi.Reconcilers.Hosting;

namespace ServerlessCapi.Functions.Provisioning;

/// <summary>Puts the engine and every reconciler workflow into the app.</summary>
public static class ReconcilerServices
{
    /// <summary>Registers the durable engine on the app's storage account and the Cluster API workflows.
    /// The in-memory infrastructure workflows join when <c>InMemoryCloud:Url</c> is set.</summary>
    public static void Add(IServiceCollection services, IConfiguration configuration, string storageConnectionString)
    {
        var workflows = services.AddDurableWorkflows(o =>
        {
            o.ConnectionString = storageConnectionString;
            o.OnStepCommitted = WorkflowMetrics.Record;
            o.OnSignalCoalesced = WorkflowMetrics.RecordCoalesced;
            if (configuration["Durable:HubName"] is { Length: > 0 } hub) o.HubName = hub;
            if (int.TryParse(configuration["Durable:MaxConcurrentSteps"], System.Globalization.CultureInfo.InvariantCulture, out var steps))
                o.MaxConcurrentSteps = steps;
            if (int.TryParse(configuration["Durable:PartitionCount"], System.Globalization.CultureInfo.InvariantCulture, out var partitions))
                o.PartitionCount = partitions;
            // A failed reconcile is retried for ever with capped exponential backoff; both ends can be set.
            if (TimeSpan.TryParse(configuration["Durable:RetryInitialDelay"], System.Globalization.CultureInfo.InvariantCulture, out var first))
                o.RetryInitialDelay = first;
            if (TimeSpan.TryParse(configuration["Durable:RetryMaxDelay"], System.Globalization.CultureInfo.InvariantCulture, out var cap))
                o.RetryMaxDelay = cap;
            // A stable worker id (Azure's instance id, or one set per process) lets a restarted process take its
            // partition leases straight back instead of waiting for them to expire.
            if ((configuration["Durable:WorkerId"] ?? configuration["WEBSITE_INSTANCE_ID"]) is { Length: > 0 } worker) o.WorkerId = worker;
        });
        services.TryAddSingleton<Reconcilers.Hosting.WorkloadProber>();
        // One Event recorder per process: its series cache and rate limits are what bound the Events the app writes.
        services.AddEventRecorder();
        var cloud = InMemoryCloudSettings.FromConfiguration(configuration);
        if (cloud is not null)
        {
            services.TryAddSingleton(cloud);
            services.TryAddSingleton(_ => new InMemoryCloudClient(cloud));
        }
        // The in-memory infrastructure's reconcilers need its cloud.
        workflows.AddReconcilers(kind => cloud is not null || !kind.NeedsInMemoryCloud);
    }
}
