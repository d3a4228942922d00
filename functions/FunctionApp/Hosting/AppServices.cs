using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using OpenTelemetry;
using ServerlessCapi.Functions;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Observability;
using ServerlessCapi.Kube.Relay;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.FunctionApp.Hosting;

/// <summary>The isolated worker's services: the standalone host's registration (<see cref="AppFunctions"/>) without its
/// own listeners, since the Functions host triggers here.</summary>
public static class AppServices
{
    /// <summary>A storage connection string for the app's own clients (relay queue, checkpoints, leases, reconciler
    /// state) when the Functions host itself connects to storage by managed identity.</summary>
    /// <remarks>The host and the durable extension read <c>AzureWebJobsStorage__accountName</c>; the app's
    /// <see cref="StorageAccount"/> still takes a connection string, so this setting (a Key Vault reference on Azure)
    /// feeds it, in the worker's configuration only.</remarks>
    public const string AppStorageSetting = "AppStorageConnection";

    public static void Configure(IConfigurationManager configuration, IServiceCollection services)
    {
        // Lowest precedence, as in the standalone host: the app's defaults, then host.json's sections under
        // AzureFunctionsJobHost (so QueuesOptions sees the messageEncoding the trigger decodes with).
        var defaults = new Dictionary<string, string?>(AppFunctions.DefaultSettings);
        configuration.Sources.Insert(0, new MemoryConfigurationSource { InitialData = defaults });
        if (Path.Combine(AppContext.BaseDirectory, "host.json") is var hostJson && File.Exists(hostJson))
        {
            var hostSettings = new ConfigurationBuilder().AddHostJson(hostJson).Build();
            configuration.Sources.Insert(1, new MemoryConfigurationSource { InitialData = hostSettings.AsEnumerable() });
        }
        if (configuration[StorageAccount.ConnectionSetting] is not { Length: > 0 }
            && configuration[AppStorageSetting] is { Length: > 0 } appStorage)
        {
            configuration.AddInMemoryCollection(new Dictionary<string, string?> { [StorageAccount.ConnectionSetting] = appStorage });
        }
        // The Functions host keeps no process alive between invocations and may stop any instance when it scales in,
        // so the relay always runs in bounded slices from the relay timer, never as a continuous watch.
        // The Durable extension runs the objects' entities (the entity trigger): the app's durable host is only the
        // client the dispatcher, timers and admin API signal and read through, on the hub host.json names.
        configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"{RelayOptions.Section}:{nameof(RelayOptions.Mode)}"] = nameof(RelayMode.Bounded),
            ["Durable:Worker"] = "false",
            ["Durable:HubName"] = configuration["AzureFunctionsJobHost:extensions:durableTask:hubName"] ?? "scapi",
        });

        services.TryAddSingleton(new FunctionAppSettings());
        services.AddFunctions(AppFunctions.Register);
        AppFunctions.AddServices(services, configuration);
        // With tracing configured, the worker's invocation spans join in (the dispatcher links them from its spans), and
        // the context the Functions host hands each invocation reaches them.
        if (TelemetrySetup.Configured(configuration)) services.AddOpenTelemetry().UseFunctionsWorkerDefaults();
        services.TryAddSingleton(RetryBackoff.Default);
    }
}
