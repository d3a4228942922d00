using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessCapi.Local;

/// <summary>Options for starting Azurite.</summary>
/// <param name="Location">A folder for persistent data; null keeps everything in memory.</param>
/// <param name="BlobPort">0 picks a free port.</param>
public sealed record AzuriteOptions(
    string? Location = null,
    int BlobPort = 0,
    int QueuePort = 0,
    int TablePort = 0,
    string Host = "127.0.0.1");

/// <summary>An Azurite emulator running as a child process on loopback ports.</summary>
/// <remarks>
/// Started through <c>scripts/azurite.cjs</c>, which exits on its own when this process dies, so a
/// killed test run leaves no emulator behind.
/// </remarks>
public sealed partial class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The emulator's fixed, publicly documented development account.</summary>
    public const string AccountName = "devstoreaccount1";

    /// <summary>The emulator's publicly documented development key (not a secret).</summary>
    public const string AccountKey =
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private readonly Process _process;
    private readonly StringBuilder _output;

    private AzuriteProcess(Process process, StringBuilder output, string host, int blob, int queue, int table)
    {
        _process = process;
        _output = output;
        Host = host;
        BlobPort = blob;
        QueuePort = queue;
        TablePort = table;
    }

    public string Host { get; }
    public int BlobPort { get; }
    public int QueuePort { get; }
    public int TablePort { get; }
    public int ProcessId => _process.Id;
    public bool HasExited => _process.HasExited;

    public string ConnectionString => BuildConnectionString(Host, BlobPort, QueuePort, TablePort);

    public static string BuildConnectionString(string host, int blobPort, int queuePort, int tablePort) =>
        $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
        $"BlobEndpoint=http://{host}:{blobPort}/{AccountName};" +
        $"QueueEndpoint=http://{host}:{queuePort}/{AccountName};" +
        $"TableEndpoint=http://{host}:{tablePort}/{AccountName};";

    public static async Task<AzuriteProcess> StartAsync(AzuriteOptions? options = null, CancellationToken ct = default)
    {
        options ??= new AzuriteOptions();
        var launcher = RepoPaths.AzuriteLauncher;
        if (!Directory.Exists(Path.Combine(RepoPaths.Root, "node_modules", "azurite")))
            throw new InvalidOperationException("Azurite is not installed: run 'npm ci' in the repository root.");

        var psi = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var arg in new[]
                 {
                     launcher, Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--blobHost", options.Host, "--queueHost", options.Host, "--tableHost", options.Host,
                     "--blobPort", options.BlobPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--queuePort", options.QueuePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--tablePort", options.TablePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--disableTelemetry", "--skipApiVersionCheck", "--loose",
                 })
        {
            psi.ArgumentList.Add(arg);
        }

        if (options.Location is null)
        {
            psi.ArgumentList.Add("--inMemoryPersistence");
        }
        else
        {
            Directory.CreateDirectory(options.Location);
            psi.ArgumentList.Add("--location");
            psi.ArgumentList.Add(options.Location);
        }
        // The access log costs Azurite time on every request; we only need the startup lines.
        psi.ArgumentList.Add("--silent");

        var output = new StringBuilder();
        var ports = new Dictionary<string, int>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output)
            {
                output.AppendLine(e.Data);
                var m = ListeningLine().Match(e.Data);
                if (m.Success)
                {
                    ports[m.Groups["svc"].Value] = int.Parse(m.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
                    if (ports.Count == 3) ready.TrySetResult();
                }
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (output) output.AppendLine(e.Data);
        };
        process.Exited += (_, _) => ready.TrySetException(
            new InvalidOperationException($"Azurite exited during startup:\n{Snapshot(output)}"));

        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        try
        {
            await ready.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            throw new TimeoutException($"Azurite did not start within 60 s:\n{Snapshot(output)}");
        }

        return new AzuriteProcess(process, output, options.Host, ports["Blob"], ports["Queue"], ports["Table"]);
    }

    /// <summary>Kills the emulator at once (for fault tests); in-memory data is gone.</summary>
    public void Kill() => TryKill(_process);

    public async ValueTask DisposeAsync()
    {
        TryKill(_process);
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // Nothing more to do: the launcher also exits when our process does.
        }
        _process.Dispose();
    }

    public string Output => Snapshot(_output);

    private static string Snapshot(StringBuilder sb)
    {
        lock (sb) return sb.ToString();
    }

    private static void TryKill(Process p)
    {
        try
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    [GeneratedRegex(@"Azurite (?<svc>Blob|Queue|Table) service is successfully listening at http://[^:]+:(?<port>\d+)")]
    private static partial Regex ListeningLine();
}
