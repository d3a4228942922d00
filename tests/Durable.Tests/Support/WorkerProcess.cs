using System.Collections.Concurrent;
using System.Diagnostics;

namespace ServerlessCapi.Durable.Tests.Support;

/// <summary>A worker of the engine in its own process (tests/Durable.Worker), to be killed without warning.</summary>
public sealed class WorkerProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();

    private WorkerProcess(Process process) => _process = process;

    public string WorkerId { get; private init; } = "";

    /// <param name="timerSeconds">How long the chaos parent's durable timer waits (long enough to outlast partition
    /// balancing when a test needs work to be spread over workers).</param>
    public static WorkerProcess Start(string connectionString, string hub, string workerId, int partitions = 4, double timerSeconds = 1)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "ServerlessCapi.Durable.Worker.dll");
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { dll, "--connection", connectionString, "--hub", hub, "--worker-id", workerId, "--partitions", partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--timer-seconds", timerSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) })
            psi.ArgumentList.Add(a);
        var process = new Process { StartInfo = psi };
        var worker = new WorkerProcess(process) { WorkerId = workerId };
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>SIGKILL: no shutdown, no lease release, steps cut wherever they are.</summary>
    public void Kill()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        catch (InvalidOperationException)
        {
            // Already exited.
        }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the worker printed (for failure messages).</summary>
    public string Tail => string.Join('\n', _output.TakeLast(40));

    private void Keep(string? line)
    {
        if (line is null) return;
        _output.Enqueue(line);
        while (_output.Count > 200) _output.TryDequeue(out _);
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
