using System.Diagnostics;
using System.Text;

namespace ServerlessCapi.Local;

/// <summary>How to start one supervised child process.</summary>
/// <param name="Name">A short name for logs (<c>apiserver</c>, <c>app-1</c>).</param>
/// <param name="FileName">The program.</param>
/// <param name="Arguments">Its arguments.</param>
/// <param name="LogFile">Where its stdout and stderr go (appended), or null to keep only the tail in memory.</param>
/// <param name="Environment">Extra environment variables.</param>
public sealed record ChildProcessSpec(
    string Name,
    string FileName,
    IReadOnlyList<string> Arguments,
    string? LogFile = null,
    IReadOnlyDictionary<string, string>? Environment = null)
{
    /// <summary>A spec that runs this CLI again with other arguments (<c>dotnet ServerlessCapi.Cli.dll verb ...</c>).</summary>
    public static ChildProcessSpec ForCli(string name, IEnumerable<string> arguments, string? logFile = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var self = System.Environment.ProcessPath ?? "dotnet";
        var entry = typeof(ChildProcessSpec).Assembly.Location;
        var cliDll = Path.Combine(Path.GetDirectoryName(entry)!, "ServerlessCapi.Cli.dll");
        var args = new List<string>();
        // Under `dotnet x.dll` the process path is dotnet itself; an apphost runs the dll directly.
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            args.Add(cliDll);
        else
            self = Path.Combine(Path.GetDirectoryName(entry)!, "ServerlessCapi.Cli");
        args.AddRange(arguments);
        return new ChildProcessSpec(name, self, args, logFile, environment);
    }
}

/// <summary>A child process that dies with us (see <see cref="ParentWatch"/>), keeps the tail of its
/// output, and can be killed and started again.</summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int TailLines = 200;
    private readonly ChildProcessSpec _spec;
    private readonly Queue<string> _tail = new();
    private readonly object _gate = new();
    private Process? _process;
    private StreamWriter? _log;

    public ChildProcess(ChildProcessSpec spec) => _spec = spec;

    public string Name => _spec.Name;
    public int? ProcessId { get { lock (_gate) return _process is { HasExited: false } p ? p.Id : null; } }
    public bool IsRunning { get { lock (_gate) return _process is { HasExited: false }; } }
    public int Restarts { get; private set; }

    /// <summary>Raised for every line the child prints.</summary>
    public event Action<ChildProcess, string>? Line;

    /// <summary>Raised when the child exits (with its exit code).</summary>
    public event Action<ChildProcess, int>? Exited;

    public void Start()
    {
        lock (_gate)
        {
            if (_process is { HasExited: false }) return;
            var psi = new ProcessStartInfo(_spec.FileName)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = RepoPaths.Root,
            };
            foreach (var a in _spec.Arguments) psi.ArgumentList.Add(a);
            psi.Environment[ParentWatch.EnvironmentVariable] = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_spec.Environment is not null)
                foreach (var (k, v) in _spec.Environment) psi.Environment[k] = v;
            if (_spec.LogFile is not null && _log is null)
            {
                Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(_spec.LogFile))!);
                _log = new StreamWriter(new FileStream(_spec.LogFile, FileMode.Append, FileAccess.Write, FileShare.ReadWrite), Encoding.UTF8) { AutoFlush = true };
            }
            var p = new Process { StartInfo = psi, EnableRaisingEvents = true };
            p.OutputDataReceived += (_, e) => OnLine(e.Data);
            p.ErrorDataReceived += (_, e) => OnLine(e.Data);
            p.Exited += (_, _) =>
            {
                int code;
                try { code = p.ExitCode; } catch (InvalidOperationException) { code = -1; }
                Exited?.Invoke(this, code);
            };
            if (_process is not null) Restarts++;
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            _process = p;
        }
    }

    /// <summary>The last lines the child printed (for error messages).</summary>
    public string Tail()
    {
        lock (_tail) return string.Join('\n', _tail);
    }

    /// <summary>SIGKILL: no cleanup in the child (fault injection).</summary>
    public void Kill()
    {
        Process? p;
        lock (_gate) p = _process;
        try
        {
            if (p is { HasExited: false }) p.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>SIGSTOP (<paramref name="paused"/>) or SIGCONT: the process hangs without exiting, as a stalled
    /// VM would (fault injection; POSIX only).</summary>
    public void SetPaused(bool paused)
    {
        if (ProcessId is { } pid && !OperatingSystem.IsWindows()) Posix.Kill(pid, paused ? Posix.SigStop : Posix.SigCont);
    }

    /// <summary>SIGTERM, then SIGKILL after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Process? p;
        lock (_gate) p = _process;
        if (p is null || p.HasExited) return;
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = Posix.Kill(p.Id, Posix.SigTerm);
        try
        {
            await p.WaitForExitAsync().WaitAsync(grace);
        }
        catch (TimeoutException)
        {
            Kill();
            await p.WaitForExitAsync();
        }
    }

    public async Task<int> WaitForExitAsync(CancellationToken ct = default)
    {
        Process? p;
        lock (_gate) p = _process;
        if (p is null) return 0;
        await p.WaitForExitAsync(ct);
        return p.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(10));
        lock (_gate)
        {
            _process?.Dispose();
            _process = null;
        }
        _log?.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_tail)
        {
            _tail.Enqueue(line);
            while (_tail.Count > TailLines) _tail.Dequeue();
            _log?.WriteLine(line);
        }
        Line?.Invoke(this, line);
    }
}
