using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;

// Settings come from the environment (a connection string on a command line is readable by every local user).
var options = new DurableHostOptions
{
    ConnectionString = Environment.GetEnvironmentVariable("SCAPI_WORKER_STORAGE") ?? throw new InvalidOperationException("SCAPI_WORKER_STORAGE is not set."),
    TaskHubName = Environment.GetEnvironmentVariable("SCAPI_WORKER_HUB") ?? throw new InvalidOperationException("SCAPI_WORKER_HUB is not set."),
    WorkerId = "child",
    PartitionCount = int.Parse(Environment.GetEnvironmentVariable("SCAPI_WORKER_PARTITIONS") ?? "1", System.Globalization.CultureInfo.InvariantCulture),
    ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(15),
    PartitionLeaseInterval = TimeSpan.FromSeconds(6),
    MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
};
var marker = Environment.GetEnvironmentVariable("SCAPI_WORKER_MARKER") ?? throw new InvalidOperationException("SCAPI_WORKER_MARKER is not set.");
await using var host = new DurableHost(options, new HangingReconcile(marker));
await host.StartAsync();
Console.WriteLine("ready");
await Task.Delay(Timeout.Infinite);

/// <summary>Announces each reconcile in the marker file, then never finishes: the test kills the process mid-run.</summary>
internal sealed class HangingReconcile(string marker) : IObjectReconcile
{
    public async Task<ReconcileOutcome> ReconcileAsync(ObjectKey key, CancellationToken ct)
    {
        await File.AppendAllTextAsync(marker, $"{key.DurableKey}\n", ct);
        await Task.Delay(Timeout.Infinite, ct);
        return ReconcileOutcome.Done;
    }
}
