using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Registration;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Functions.Tests.Support;

/// <summary>A function app on a free loopback port against the shared Azurite, isolated by its settings.</summary>
public sealed class TestApp : IAsyncDisposable
{
    private TestApp(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Http = new HttpClient { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }
    public Uri BaseAddress { get; }
    public HttpClient Http { get; }
    public IServiceProvider Services => App.Services;
    public T Get<T>() where T : notnull => App.Services.GetRequiredService<T>();

    /// <summary>Settings every test app shares: fast polling and leases, a unique timer container.</summary>
    public static Dictionary<string, string?> DefaultSettings(string storage, string prefix) => new(StringComparer.OrdinalIgnoreCase)
    {
        [StorageAccount.ConnectionSetting] = storage,
        ["FunctionApp:TimersContainer"] = prefix + "-timers",
        ["FunctionApp:MinPollingInterval"] = "00:00:00.050",
        ["FunctionApp:TimerLeaseRetry"] = "00:00:00.500",
        ["FunctionApp:QueueDepthInterval"] = "00:00:00.500",
        ["FunctionApp:DrainTimeout"] = "00:00:05",
        ["AzureFunctionsJobHost:extensions:queues:maxPollingInterval"] = "00:00:00.500",
        ["AzureFunctionsJobHost:extensions:queues:visibilityTimeout"] = "00:00:00",
        ["AzureFunctionsJobHost:extensions:queues:maxDequeueCount"] = "5",
        ["AzureFunctionsJobHost:extensions:queues:batchSize"] = "8",
    };

    public static async Task<TestApp> StartAsync(
        Action<FunctionsBuilder> functions,
        IDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? services = null)
    {
        var overrides = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>(), StringComparer.OrdinalIgnoreCase);
        var app = FunctionApp.Build(
            new FunctionAppSettings
            {
                HostJsonPath = "",
                LocalSettingsPath = "",
                ReadEnvironment = false,
                Overrides = overrides,
                Urls = ["http://127.0.0.1:0"],
            },
            functions,
            (s, _) => services?.Invoke(s));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new TestApp(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public static async Task<string> StorageAsync() => await SharedAzurite.ConnectionStringAsync();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Reads one configuration value of the running app.</summary>
    public string? Setting(string key) => Get<IConfiguration>()[key];
}
