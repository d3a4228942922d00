using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace ServerlessCapi.Providers.InMemory.Cloud;

/// <summary>The in-memory cloud as a running HTTP service on loopback (Kestrel).</summary>
public sealed class InMemoryCloudServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private InMemoryCloudServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The API's base URL, <c>http://127.0.0.1:port</c>.</summary>
    public Uri Url { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<InMemoryCloudServer> StartAsync(InMemoryCloudOptions options, IWorkloadClusters workloads,
        Action<ILoggingBuilder>? logging = null, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(options.Key))
            throw new InvalidOperationException($"{InMemoryCloudOptions.Section}:Key is required.");
        var store = new CloudStore(options.StorageConnectionString, options.TableName);
        await store.InitializeAsync(ct);

        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        builder.Logging.ClearProviders();
        logging?.Invoke(builder.Logging);
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(store);
        builder.Services.AddSingleton(workloads);
        builder.Services.AddSingleton(options.Clock);
        builder.Services.AddSingleton<SettleQueue>();
        builder.Services.AddSingleton<InMemoryCloud>();
        builder.Services.AddHostedService<NodeLoop>();

        var app = builder.Build();
        CloudEndpoints.Map(app, options.Key);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new InMemoryCloudServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync(CancellationToken.None);
        await _app.DisposeAsync();
    }
}
