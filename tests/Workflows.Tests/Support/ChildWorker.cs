using System.Collections.Concurrent;
using System.Diagnostics;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>A durable worker in its own process (tests/Workflows.Worker), to be killed without warning. Settings go
/// through the environment, never the command line (a connection string there is readable by every local user).</summary>
internal sealed class ChildWorker : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> output = new();
    private readonly TaskCompletionSource ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildWorker(string id, Process process)
    {
        Id = id;
        this.process = process;
    }

    public string Id { get; }

    public bool HasExited => process.HasExited;

    /// <summary>The last lines the worker printed (for failure messages).</summary>
    public string Tail => string.Join('\n', output.TakeLast(40));

    /// <summary>Starts a worker with <paramref name="settings"/> (SCAPI_WORKER_* variables) on the shared Azurite.</summary>
    public static async Task<ChildWorker> StartAsync(string id, IReadOnlyDictionary<string, string> settings)
    {
        // Run from the worker's own output folder: the test's folder resolves its dependencies to other versions.
        var folder = AppContext.BaseDirectory.Replace($"{Path.DirectorySeparatorChar}Workflows.Tests{Path.DirectorySeparatorChar}",
            $"{Path.DirectorySeparatorChar}Workflows.Worker{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(folder, "ServerlessCapi.Workflows.Worker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.Environment["SCAPI_WORKER_STORAGE"] = await SharedAzurite.ConnectionStringAsync();
        psi.Environment["SCAPI_WORKER_ID"] = id;
        foreach (var (name, value) in settings) psi.Environment[name] = value;
        var process = new Process { StartInfo = psi };
        var worker = new ChildWorker(id, process);
        process.OutputDataReceived += (_, e) => worker.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => worker.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return worker;
    }

    /// <summary>Waits for the worker to report that its task hub worker has started.</summary>
    public async Task ReadyAsync(TimeSpan timeout)
    {
        try
        {
            await ready.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Worker {Id} did not start within {timeout.TotalSeconds:0} s (exited: {process.HasExited}):\n{Tail}");
        }
    }

    /// <summary>SIGKILL: no shutdown, no partition release, reconciles cut wherever they are.</summary>
    public async Task KillAsync()
    {
        if (!process.HasExited) process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        if (line == "ready") ready.TrySetResult();
        output.Enqueue(line);
        while (output.Count > 200) output.TryDequeue(out _);
    }
}
