using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using ServerlessCapi.FunctionApp.Hosting;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Functions.Relay;
using ServerlessCapi.Kube.Relay;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.FunctionApp.Tests;

/// <summary>The worker's container: what the triggers resolve, built as Program.cs builds it.</summary>
public sealed class AppServicesTests
{
    // Never contacted: building clients does not connect.
    private const string Kubeconfig = """
        apiVersion: v1
        kind: Config
        clusters: [{name: m, cluster: {server: "https://127.0.0.1:1", insecure-skip-tls-verify: true}}]
        users: [{name: u, user: {token: t}}]
        contexts: [{name: c, context: {cluster: m, user: u}}]
        current-context: c
        """;

    private static ServiceProvider Build(Dictionary<string, string?> settings, Action<IServiceCollection>? more = null)
    {
        var configuration = new ConfigurationManager();
        configuration.AddInMemoryCollection(settings);
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging();
        AppServices.Configure(configuration, services);
        more?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>Settings as on Azure: the host reaches storage by identity, the app's clients by the Key Vault-held
    /// connection string.</summary>
    private static Dictionary<string, string?> AzureSettings() => new()
    {
        ["AzureWebJobsStorage:accountName"] = "scapistorage",
        [AppServices.AppStorageSetting] = "UseDevelopmentStorage=true",
        ["KubeconfigContent"] = Kubeconfig,
    };

    [Fact]
    public async Task Every_registered_function_class_resolves_with_the_azure_settings()
    {
        await using var provider = Build(AzureSettings());
        await using var scope = provider.CreateAsyncScope();
        var functions = provider.GetRequiredService<FunctionsBuilder>().Functions;
        functions.Count.ShouldBe(AppOutput.Functions.Count - 1); // all but the entity trigger
        foreach (var type in functions.Select(f => f.FunctionType).Distinct())
            scope.ServiceProvider.GetService(type).ShouldNotBeNull(type.Name);
    }

    [Fact]
    public async Task The_apps_storage_clients_use_the_app_storage_setting_when_the_host_connects_by_identity()
    {
        await using var provider = Build(AzureSettings());
        var storage = provider.GetRequiredService<StorageAccount>();
        storage.IsConfigured.ShouldBeTrue();
        storage.ConnectionString.ShouldBe("UseDevelopmentStorage=true");
    }

    [Fact]
    public async Task A_storage_connection_string_of_its_own_wins_over_the_app_storage_setting()
    {
        var settings = AzureSettings();
        settings[StorageAccount.ConnectionSetting] = "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://127.0.0.1:1";
        await using var provider = Build(settings);
        provider.GetRequiredService<StorageAccount>().ConnectionString.ShouldBe(settings[StorageAccount.ConnectionSetting]);
    }

    [Fact]
    public async Task The_relay_runs_in_bounded_slices_even_when_settings_ask_for_a_continuous_watch()
    {
        var settings = AzureSettings();
        settings["Relay:Mode"] = "Continuous";
        await using var provider = Build(settings);
        var relay = provider.GetRequiredService<IOptions<RelayOptions>>().Value;
        relay.Mode.ShouldBe(RelayMode.Bounded);
    }

    [Fact]
    public async Task Schedules_default_to_the_standalone_hosts_and_settings_override_them()
    {
        var settings = AzureSettings();
        settings["ProbeSchedule"] = "15 */5 * * * *";
        await using var provider = Build(settings);
        var configuration = provider.GetRequiredService<IConfiguration>();
        configuration["RelaySchedule"].ShouldBe("0 * * * * *");
        configuration["ProbeSchedule"].ShouldBe("15 */5 * * * *");
        var catalog = provider.GetRequiredService<FunctionCatalog>();
        catalog.Timers.Single(t => t.Name == "probe").Schedule.ShouldBe("15 */5 * * * *");
    }

    [Fact]
    public async Task The_entity_gets_its_services_from_the_container_and_its_token_from_the_trigger()
    {
        var reconcile = new UnusedReconcile();
        await using var provider = Build(AzureSettings(), s => s.AddSingleton<IObjectReconcile>(reconcile));
        // What TaskEntityDispatcher.DispatchAsync<ObjectReconcileEntity>(token) does with the invocation's services.
        using var stopping = new CancellationTokenSource();
        var entity = ActivatorUtilities.CreateInstance<ObjectReconcileEntity>(provider, stopping.Token);
        entity.ShouldNotBeNull();
        provider.GetRequiredService<RetryBackoff>().ShouldBe(RetryBackoff.Default);
    }

    [Fact]
    public async Task The_entities_reconcile_with_the_kind_reconcilers_and_the_apps_durable_host_is_only_a_client_of_the_hosts_hub()
    {
        await using var provider = Build(AzureSettings());
        provider.GetRequiredService<IObjectReconcile>().ShouldBeOfType<Reconcilers.Hosting.KindReconcile>();
        var options = provider.GetRequiredService<Workflows.Hosting.DurableHostOptions>();
        options.EnableWorker.ShouldBeFalse("the Durable extension runs the entities");
        options.TaskHubName.ShouldBe("scapi");
        var entity = ActivatorUtilities.CreateInstance<ObjectReconcileEntity>(provider, CancellationToken.None);
        entity.ShouldNotBeNull();
    }

    private sealed class UnusedReconcile : IObjectReconcile
    {
        public Task<ReconcileOutcome> ReconcileAsync(ObjectKey key, CancellationToken ct) => throw new NotSupportedException();
    }
}
