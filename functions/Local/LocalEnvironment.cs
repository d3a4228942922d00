using System.Net.Http;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text.Json;

namespace ServerlessCapi.Local;

/// <summary>Options for a whole local deployment.</summary>
/// <param name="StateDir">Where ports, keys, logs and persistent data live.</param>
/// <param name="Instances">How many app processes.</param>
/// <param name="PersistentStorage">Azurite keeps data on disk (a restarted emulator loses nothing).</param>
/// <param name="KubeconfigPath">Where the management cluster's kubeconfig goes (default: in the state dir).</param>
/// <param name="AppSettings">Extra app settings (environment variables, <c>Section__Key</c> form).</param>
/// <param name="AzuriteCountsPorts">When set (three ports: blob, queue, table), each Azurite process counts the
/// requests it serves and reports them on its port (<c>GET /counts</c>; see scripts/azurite.cjs).</param>
/// <param name="BeforeApps">Runs with the kubeconfig path once the API server answers and before any app starts
/// (installing CRDs there means the apps' relay finds every kind served from its first list).</param>
/// <param name="Webhooks">Serve the app's admission webhooks and register them in the API server (see
/// <see cref="LocalEnvironment"/>), so the run refuses what a Cluster API management cluster refuses.</param>
public sealed record LocalEnvironmentOptions(
    string StateDir,
    int Instances = 1,
    bool PersistentStorage = true,
    string? KubeconfigPath = null,
    IReadOnlyDictionary<string, string>? AppSettings = null,
    Func<string, CancellationToken, Task>? BeforeApps = null,
    IReadOnlyList<int>? AzuriteCountsPorts = null,
    bool Webhooks = false);

/// <summary>Ports and keys of a local deployment, kept in the state dir so restarts reuse them.</summary>
/// <param name="WebhookPort">The first app's HTTPS port, where the API server calls the admission webhooks.</param>
public sealed record LocalEndpoints(
    int BlobPort, int QueuePort, int TablePort, int ApiServerPort, int ProviderPort, int[] AppPorts,
    string AdminKey, string CloudKey, string WorkloadToken, int WebhookPort = 0)
{
    public string StorageConnectionString => AzuriteProcess.BuildConnectionString("127.0.0.1", BlobPort, QueuePort, TablePort);
}

/// <summary>
/// Azurite, the embedded API server, the in-memory cloud provider and K app processes, each its own
/// child process as in a real deployment: any one can be killed and restarted without losing the
/// others' state. A child that exits unexpectedly is restarted (same ports, same data). Azurite runs one process
/// per service (blob, queue, table): the emulator is single-threaded, and under load one process is the bottleneck.
/// </summary>
/// <remarks>With <see cref="LocalEnvironmentOptions.Webhooks"/>, a CA and a loopback serving certificate are made once
/// under the state dir (<c>webhooks/</c>, the key owner-readable only and handed to the app by path), the first app
/// also listens on HTTPS on a port of its own, and once it answers there the configurations of
/// <c>infra/webhooks</c> are registered with that URL and the CA as caBundle. With several apps, every webhook points
/// at the first: one URL is enough for a local run, and while that app restarts (same port, same certificate) writes
/// of Cluster API kinds are refused, as failurePolicy Fail makes a real cluster do.</remarks>
public sealed class LocalEnvironment : IAsyncDisposable
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
    private readonly LocalEnvironmentOptions _options;
    private readonly List<ChildProcess> _children = [];
    private volatile bool _stopping;

    private LocalEnvironment(LocalEnvironmentOptions options, LocalEndpoints endpoints)
    {
        _options = options;
        Endpoints = endpoints;
    }

    public LocalEndpoints Endpoints { get; }
    public string KubeconfigPath => _options.KubeconfigPath ?? Path.Combine(_options.StateDir, "kubeconfig");
    public string LogDir => Path.Combine(_options.StateDir, "logs");
    public IReadOnlyList<ChildProcess> Children => _children;
    /// <summary>The emulator's processes: blob, queue and table.</summary>
    public IReadOnlyList<ChildProcess> Azurite => [.. _children.Where(c => c.Name.StartsWith("azurite-", StringComparison.Ordinal))];
    public ChildProcess ApiServer => _children.Single(c => c.Name == "apiserver");
    public ChildProcess Provider => _children.Single(c => c.Name == "provider");
    public IEnumerable<ChildProcess> Apps => _children.Where(c => c.Name.StartsWith("app-", StringComparison.Ordinal));
    public string AppUrl(int index = 0) => $"http://127.0.0.1:{Endpoints.AppPorts[index]}";

    /// <summary>Where the API server calls the admission webhooks (the first app's HTTPS listener), or null without them.</summary>
    public string? WebhookUrl => _options.Webhooks ? $"https://127.0.0.1:{Endpoints.WebhookPort}" : null;

    /// <summary>The webhooks' CA and serving certificate, or null without them.</summary>
    public WebhookTls? WebhookTls { get; private set; }
    public string ProviderUrl => $"http://127.0.0.1:{Endpoints.ProviderPort}";

    /// <summary>True once the environment is shutting down (children exiting now are not failures).</summary>
    public bool IsStopping => _stopping;

    /// <summary>Whether a child that exits on its own is started again (off while a fault test wants control).</summary>
    public bool RestartOnExit { get; set; } = true;

    /// <summary>Raised with (child, line) for every line a child prints.</summary>
    public event Action<ChildProcess, string>? ChildLine;

    /// <summary>Starts everything in dependency order and waits until each part answers.</summary>
    public static async Task<LocalEnvironment> StartAsync(LocalEnvironmentOptions options, CancellationToken ct = default)
    {
        Directory.CreateDirectory(options.StateDir);
        var env = new LocalEnvironment(options, LoadOrCreateEndpoints(options));
        try
        {
            await env.StartAllAsync(ct);
            return env;
        }
        catch
        {
            await env.DisposeAsync();
            throw;
        }
    }

    private async Task StartAllAsync(CancellationToken ct)
    {
        var e = Endpoints;
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        var services = new[] { ("blob", "--blobPort", e.BlobPort), ("queue", "--queuePort", e.QueuePort), ("table", "--tablePort", e.TablePort) };
        for (var i = 0; i < services.Length; i++)
        {
            var (service, portOption, port) = services[i];
            var azuriteArgs = new List<string>
            {
                RepoPaths.AzuriteLauncher, Environment.ProcessId.ToString(inv), "--service", service, portOption, port.ToString(inv),
                "--disableTelemetry", "--skipApiVersionCheck", "--loose", "--silent",
            };
            if (_options.PersistentStorage) azuriteArgs.AddRange(["--location", Path.Combine(_options.StateDir, "azurite")]);
            else azuriteArgs.Add("--inMemoryPersistence");
            var counts = _options.AzuriteCountsPorts is { Count: 3 } ports
                ? new Dictionary<string, string> { ["SCAPI_AZURITE_COUNTS_PORT"] = ports[i].ToString(inv) }
                : null;
            Add(new ChildProcessSpec($"azurite-{service}", "node", azuriteArgs, Log($"azurite-{service}"), counts));
        }
        var azurite = Azurite;
        foreach (var child in azurite) child.Start();
        // Added in the order of services, so each process pairs with its port.
        foreach (var (child, (_, _, port)) in azurite.Zip(services)) await WaitForTcpAsync(port, child, ct);

        Add(ChildProcessSpec.ForCli("apiserver",
            ["apiserver", "--kubeconfig", KubeconfigPath, "--port", e.ApiServerPort.ToString(inv), "--data", Path.Combine(_options.StateDir, "apiserver.json")],
            Log("apiserver")));
        ApiServer.Start();
        await WaitForHttpAsync($"https://127.0.0.1:{e.ApiServerPort}/readyz", ApiServer, ct);
        if (_options.BeforeApps is { } beforeApps) await beforeApps(KubeconfigPath, ct);

        var shared = new Dictionary<string, string>
        {
            ["AzureWebJobsStorage"] = e.StorageConnectionString,
            ["InMemoryCloud__Url"] = ProviderUrl,
            ["InMemoryCloud__Key"] = e.CloudKey,
            ["InMemoryCloud__WorkloadToken"] = e.WorkloadToken,
            ["Functions__AdminKey"] = e.AdminKey,
        };
        Add(ChildProcessSpec.ForCli("provider",
            ["provider", "--port", e.ProviderPort.ToString(inv), "--data", Path.Combine(_options.StateDir, "workload-clusters.json")],
            Log("provider"), shared));
        Provider.Start();
        await WaitForHttpAsync($"{ProviderUrl}/healthz", Provider, ct);

        if (_options.Webhooks) WebhookTls = WebhookTls.LoadOrCreate(Path.Combine(_options.StateDir, "webhooks"));
        for (var i = 0; i < e.AppPorts.Length; i++)
        {
            var settings = new Dictionary<string, string>(shared);
            if (_options.AppSettings is not null)
                foreach (var (k, v) in _options.AppSettings) settings[k] = v;
            settings["SCAPI_INSTANCE"] = $"app-{i + 1}";
            settings["Durable__WorkerId"] = $"app-{i + 1}";
            // The task hub's queues are polled with a backoff up to this when quiet. A local run has little traffic, so each
            // hop of a Machine's provisioning (a change, its signal, the reconcile it wakes) would otherwise wait up to the
            // 1 s default; the extra idle polls cost nothing on the emulator.
            settings.TryAdd("Durable__MaxQueuePollingInterval", "00:00:00.200");
            var urls = $"http://127.0.0.1:{e.AppPorts[i].ToString(inv)}";
            if (i == 0 && WebhookTls is { } tls)
            {
                // Paths, not contents: the key stays in its owner-only file.
                settings["FunctionApp__HttpsCertificate"] = tls.CertificateFile;
                settings["FunctionApp__HttpsCertificateKey"] = tls.KeyFile;
                urls += $";{WebhookUrl}";
            }
            Add(ChildProcessSpec.ForCli($"app-{i + 1}", ["run", "--kubeconfig", KubeconfigPath, "--urls", urls], Log($"app-{i + 1}"), settings));
        }
        foreach (var app in Apps) app.Start();
        for (var i = 0; i < e.AppPorts.Length; i++)
            await WaitForHttpAsync($"{AppUrl(i)}/healthz", _children.Single(c => c.Name == $"app-{i + 1}"), ct);
        if (WebhookTls is { } webhookTls)
        {
            // failurePolicy Fail: registered only once the webhooks answer over TLS with the certificate the CA signed,
            // or every write of a Cluster API kind would be refused meanwhile.
            await WaitForHttpAsync($"{WebhookUrl}/healthz", _children.Single(c => c.Name == "app-1"), ct, webhookTls);
            await WebhookManifests.RegisterAsync(KubeconfigPath, WebhookUrl!, webhookTls.CaBundle, ct);
        }
    }

    private string Log(string name) => Path.Combine(LogDir, name + ".log");

    private void Add(ChildProcessSpec spec)
    {
        var child = new ChildProcess(spec);
        child.Line += (c, line) => ChildLine?.Invoke(c, line);
        child.Exited += (c, exitCode) =>
        {
            if (_stopping || !RestartOnExit) return;
            // Restart on a pool thread after a short pause; same ports, same data.
            _ = Task.Run(async () =>
            {
                await Task.Delay(TimeSpan.FromMilliseconds(500));
                if (!_stopping && RestartOnExit && !c.IsRunning) c.Start();
            });
        };
        _children.Add(child);
    }

    public async ValueTask DisposeAsync()
    {
        _stopping = true;
        // Apps first (they drain in-flight work), then the provider, API server and storage.
        foreach (var child in Enumerable.Reverse(_children))
            await child.DisposeAsync();
    }

    private static LocalEndpoints LoadOrCreateEndpoints(LocalEnvironmentOptions options)
    {
        var file = Path.Combine(options.StateDir, "endpoints.json");
        if (File.Exists(file) && JsonSerializer.Deserialize<LocalEndpoints>(File.ReadAllText(file)) is { } saved
            && saved.AppPorts.Length == options.Instances)
        {
            if (saved.WebhookPort != 0) return saved;
            // State from before the webhooks had a port: keep everything else.
            return Save(file, saved with { WebhookPort = FreePorts.Next() });
        }
        var ports = FreePorts.Take(6 + options.Instances);
        return Save(file, new LocalEndpoints(ports[0], ports[1], ports[2], ports[3], ports[4], ports[6..],
            NewKey(), NewKey(), NewKey(), ports[5]));
    }

    private static LocalEndpoints Save(string file, LocalEndpoints endpoints)
    {
        File.WriteAllText(file, JsonSerializer.Serialize(endpoints, Indented));
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return endpoints;
    }

    private static string NewKey() => Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();

    private static async Task WaitForTcpAsync(int port, ChildProcess owner, CancellationToken ct)
    {
        await WaitAsync(owner, async () =>
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync("127.0.0.1", port, ct);
                return true;
            }
            catch (SocketException)
            {
                return false;
            }
        }, ct);
    }

    /// <param name="trust">The CA the server's certificate must chain to; without it any certificate does (readiness
    /// only: the API server's certificate comes from its own private CA, made at its start).</param>
    private static async Task WaitForHttpAsync(string url, ChildProcess owner, CancellationToken ct, WebhookTls? trust = null)
    {
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, cert, _, _) => trust?.Trusts(cert) ?? true };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(5) };
        await WaitAsync(owner, async () =>
        {
            try
            {
                using var response = await http.GetAsync(new Uri(url), ct);
                return response.IsSuccessStatusCode;
            }
            catch (HttpRequestException)
            {
                return false;
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                return false;
            }
        }, ct);
    }

    private static async Task WaitAsync(ChildProcess owner, Func<Task<bool>> ready, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
        while (!await ready())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{owner.Name} did not become ready within 120 s. Its last output:\n{owner.Tail()}");
            await Task.Delay(TimeSpan.FromMilliseconds(100), ct);
        }
    }
}
