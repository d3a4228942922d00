using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>Builds hosts on the shared Azurite, each test on its own task hub.</summary>
internal static class Hubs
{
    public static async Task<DurableHostOptions> OptionsAsync(string hub, string worker = "w1", int partitions = 2,
        bool tablePartitions = true, RetryBackoff? backoff = null) => new()
        {
            ConnectionString = await SharedAzurite.ConnectionStringAsync(),
            TaskHubName = hub,
            WorkerId = worker,
            PartitionCount = partitions,
            UseTablePartitionManagement = tablePartitions,
            // Blob leases last 15–60 s; the table manager takes shorter claims.
            PartitionLeaseInterval = TimeSpan.FromSeconds(tablePartitions ? 6 : 15),
            ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(15),
            MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
            Backoff = backoff ?? new RetryBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)),
        };

    public static async Task<DurableHost> StartAsync(DurableHostOptions options, IObjectReconcile reconcile)
    {
        var host = new DurableHost(options, reconcile);
        await host.StartAsync();
        return host;
    }

    public static string NewHub() => TestNames.Unique("hub");

    public static ObjectKey Key(string name) => new("Machine", "default", name, $"uid-{name}");
}
