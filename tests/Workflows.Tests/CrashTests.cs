using System.Diagnostics;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Reconcile;
using Xunit.Abstractions;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>A worker process killed without warning in the middle of a reconcile: another worker must take over the
/// partition and run the object's work again within the tuned visibility timeout, not DTFx's 5-minute default.</summary>
public sealed class CrashTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_killed_workers_reconcile_is_run_by_another_worker_within_a_minute()
    {
        var hub = Hubs.NewHub();
        var marker = Path.Combine(Path.GetTempPath(), $"{hub}.marker");
        // Run from the worker's own output folder: the test's folder resolves its dependencies to other versions.
        var folder = AppContext.BaseDirectory.Replace($"{Path.DirectorySeparatorChar}Workflows.Tests{Path.DirectorySeparatorChar}",
            $"{Path.DirectorySeparatorChar}Workflows.Worker{Path.DirectorySeparatorChar}", StringComparison.Ordinal);
        var psi = new ProcessStartInfo("dotnet", [Path.Combine(folder, "ServerlessCapi.Workflows.Worker.dll")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.Environment["SCAPI_WORKER_STORAGE"] = await SharedAzurite.ConnectionStringAsync();
        psi.Environment["SCAPI_WORKER_HUB"] = hub;
        psi.Environment["SCAPI_WORKER_PARTITIONS"] = "1";
        psi.Environment["SCAPI_WORKER_MARKER"] = marker;
        using var child = Process.Start(psi)!;
        try
        {
            (await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))).ShouldBe("ready");
            var key = Hubs.Key("crash");
            var reconcile = new RecordingReconcile();
            // The replacement shares the hub (one partition, owned by the child until it dies).
            var options = await Hubs.OptionsAsync(hub, "survivor", partitions: 1);
            await using var client = new Hosting.DurableHost(new Hosting.DurableHostOptions { ConnectionString = options.ConnectionString, TaskHubName = hub, PartitionCount = 1, EnableWorker = false });
            await client.StartAsync();
            await client.Client.SignalChangedAsync(key);
            await WaitFor.ConditionAsync(() => File.Exists(marker) && File.ReadAllText(marker).Contains(key.DurableKey, StringComparison.Ordinal),
                TimeSpan.FromSeconds(60), "the child to start the reconcile");

            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync();
            var killed = Stopwatch.StartNew();
            await using var survivor = await Hubs.StartAsync(options, reconcile);
            await WaitFor.ConditionAsync(async () => (await survivor.Client.GetStateAsync(key))?.Runs >= 1 && reconcile.CallsOf(key) == 1,
                TimeSpan.FromSeconds(90), "the survivor to reconcile the object");
            output.WriteLine($"resumed {killed.Elapsed.TotalSeconds:0.0} s after the kill (visibility timeout {options.ControlQueueVisibilityTimeout.TotalSeconds} s, lease {options.PartitionLeaseInterval.TotalSeconds} s)");
            killed.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(1));
        }
        finally
        {
            if (!child.HasExited) child.Kill(entireProcessTree: true);
            File.Delete(marker);
        }
    }
}
