using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.EmbeddedApiServer.Admission;
using ServerlessCapi.EmbeddedApiServer.Auth;
using ServerlessCapi.EmbeddedApiServer.Http;
using ServerlessCapi.EmbeddedApiServer.Persistence;
using ServerlessCapi.EmbeddedApiServer.Storage;

namespace ServerlessCapi.EmbeddedApiServer;

/// <summary>An in-process Kubernetes API server on loopback: the management cluster at the root and isolated
/// simulated workload clusters under <c>/clusters/{name}</c>.</summary>
public sealed class EmbeddedApiServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ClusterRegistry _clusters;
    private readonly RequestMetrics _metrics;
    private readonly SnapshotWriter? _snapshots;
    private readonly ServingCertificate? _certificate;
    private AdmissionChain? _admission;

    private EmbeddedApiServer(WebApplication app, ClusterRegistry clusters, RequestMetrics metrics, SnapshotWriter? snapshots,
        ServingCertificate? certificate, string url, string token)
    {
        _app = app;
        _certificate = certificate;
        _clusters = clusters;
        _metrics = metrics;
        _snapshots = snapshots;
        Url = url;
        Token = token;
    }

    /// <summary>The management cluster's URL, <c>https://127.0.0.1:PORT</c> (<c>http://</c> when TLS is off).</summary>
    public string Url { get; }

    /// <summary>The server's bearer token: it opens the management cluster (and every workload cluster unless
    /// <see cref="EmbeddedApiServerOptions.ServerTokenOpensWorkloadClusters"/> is off).</summary>
    public string Token { get; }

    /// <summary>The token of the management cluster (null) or of one workload cluster, which opens that cluster only.</summary>
    public string TokenFor(string? cluster) => string.IsNullOrEmpty(cluster) ? Token : BearerAuth.ClusterToken(Token, cluster);

    /// <summary>PEM of the CA that signed the serving certificate (null when TLS is off).</summary>
    public string? CertificateAuthorityPem => _certificate?.AuthorityPem;

    /// <summary>Request totals per verb since start.</summary>
    public IReadOnlyDictionary<string, long> RequestCounts => _metrics.Snapshot();

    public static async Task<EmbeddedApiServer> StartAsync(EmbeddedApiServerOptions? options = null, CancellationToken ct = default)
    {
        options ??= new EmbeddedApiServerOptions();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<EmbeddedApiServer>();
        var saved = options.DataFile is { } dataFile ? CredentialsFile.Load(CredentialsFile.PathFor(dataFile), options.UseTls) : null;
        var token = options.Token ?? saved?.Token ?? BearerAuth.NewToken();
        var certificate = options.UseTls ? saved?.Certificate ?? ServingCertificate.Create() : null;
        if (options.DataFile is { } credentialsFor) CredentialsFile.Save(CredentialsFile.PathFor(credentialsFor), token, certificate);
        var settings = new ClusterSettings(options.WatchWindow);
        var clusters = new ClusterRegistry(settings, logger);
        if (options.DataFile is { } file && File.Exists(file))
        {
            var loaded = SnapshotFile.Load(file, settings);
            foreach (var c in loaded) clusters.Add(c);
            if (logger.IsEnabled(LogLevel.Information))
                logger.LogInformation("Loaded {Count} clusters from the API server snapshot {Path}", loaded.Count, file);
        }
        clusters.GetOrCreate("");
        var snapshots = options.DataFile is { } path ? new SnapshotWriter(path, clusters, options.SnapshotDebounce, logger) : null;

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, options.Port, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate.Leaf);
            });
            k.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
        });
        var app = builder.Build();
        var metrics = new RequestMetrics();
        var admission = new AdmissionChain(options.Webhooks, logger);
        var dispatcher = new ApiDispatcher(clusters, new BearerAuth(token, options.ServerTokenOpensWorkloadClusters), metrics,
            new ServerSettings(options.BookmarkInterval, options.DefaultWatchTimeout) { Admission = admission }, logger);
        app.Run(dispatcher.HandleAsync);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var scheme = certificate is null ? "http" : "https";
        return new EmbeddedApiServer(app, clusters, metrics, snapshots, certificate, $"{scheme}://127.0.0.1:{port}", token) { _admission = admission };
    }

    /// <summary>The URL of a simulated workload cluster (created on first use, with its own isolated store).</summary>
    public string ClusterUrl(string name)
    {
        if (name.Length == 0 || !ClusterRegistry.IsValidName(name))
            throw new ArgumentException($"'{name}' is not a valid cluster name (lowercase letters, digits, '-', '.', '_').", nameof(name));
        _clusters.GetOrCreate(name);
        return $"{Url}/clusters/{name}";
    }

    /// <summary>Kubeconfig YAML for the management cluster (null) or a workload cluster.</summary>
    public string KubeconfigYaml(string? cluster = null) =>
        Kubeconfig.Yaml(cluster is null ? "scapi-embedded" : $"scapi-{cluster}", cluster is null ? Url : ClusterUrl(cluster), TokenFor(cluster), CertificateAuthorityPem);

    /// <summary>An HttpClient for raw REST calls to a cluster: base address, bearer token, and trust in this server's CA only.</summary>
    public HttpClient CreateHttpClient(string? cluster = null)
    {
        var handler = new HttpClientHandler();
        if (_certificate is { } cert)
            handler.ServerCertificateCustomValidationCallback = (_, presented, _, _) => cert.Validate(presented);
        var baseUrl = cluster is null ? Url : ClusterUrl(cluster);
        var client = new HttpClient(handler) { BaseAddress = new Uri(baseUrl + "/") };
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TokenFor(cluster));
        return client;
    }

    public void WriteKubeconfig(string path, string? cluster = null) => Kubeconfig.Write(path, KubeconfigYaml(cluster));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _clusters.DisposeAsync();
        if (_snapshots is not null) await _snapshots.DisposeAsync();
        _certificate?.Dispose();
        _admission?.Dispose();
    }
}
