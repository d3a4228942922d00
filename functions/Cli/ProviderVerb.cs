using System.CommandLine;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ServerlessCapi.EmbeddedApiServer;
using ServerlessCapi.Local;
using ServerlessCapi.Providers.InMemory.Cloud;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi provider</c>: runs the in-memory cloud (VMs, load balancers and the simulated workload
/// clusters' API server) as its own process, like a real cloud the workflows call.</summary>
internal static class ProviderVerb
{
    public static Command Create()
    {
        // A connection string on a command line is readable by every local user (ps, /proc): the setting is the
        // way to pass it; the option stays for hand-run tries against the emulator.
        var storage = new Option<string?>("--storage") { Description = "Azure Storage connection string for the VM records (default: the setting 'AzureWebJobsStorage')." };
        var port = new Option<int>("--port") { Description = "Loopback port of the cloud API (0 = free port).", DefaultValueFactory = _ => 0 };
        var data = new Option<string?>("--data") { Description = "Snapshot file of the workload clusters (default: in memory)." };
        var table = new Option<string>("--table") { Description = "Table for the VM records.", DefaultValueFactory = _ => "InMemoryCloud" };
        var cmd = new Command("provider", "Run the in-memory cloud: VM and load-balancer API plus the simulated workload clusters. " +
                                          "Settings: AzureWebJobsStorage and InMemoryCloud:Key (required), InMemoryCloud:WorkloadToken.")
        {
            storage, port, data, table,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            ParentWatch.StartFromEnvironment();
            var config = new ConfigurationBuilder().AddEnvironmentVariables().Build();
            var key = config[$"{InMemoryCloudOptions.Section}:Key"];
            if (string.IsNullOrEmpty(key))
            {
                Console.Error.WriteLine("scapi provider: set InMemoryCloud:Key (environment variable InMemoryCloud__Key).");
                return 2;
            }
            var storageConnection = parse.GetValue(storage) is { Length: > 0 } given ? given : config["AzureWebJobsStorage"];
            if (string.IsNullOrEmpty(storageConnection))
            {
                Console.Error.WriteLine("scapi provider: set AzureWebJobsStorage (the storage connection string for the VM records).");
                return 2;
            }
            var workloadToken = config[$"{InMemoryCloudOptions.Section}:WorkloadToken"];
            using var loggers = LoggerFactory.Create(ConfigureLogging);
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, ctx =>
            {
                ctx.Cancel = true;
                stop.Cancel();
            });

            await using var workloadServer = await EmbeddedApiServer.EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions
            {
                DataFile = parse.GetValue(data) is { } file ? Path.GetFullPath(file) : null,
                Token = string.IsNullOrEmpty(workloadToken) ? null : workloadToken,
                LoggerFactory = loggers,
            }, ct);
            using var workloads = new KubeWorkloadClusters(
                clusterKey => new Uri(workloadServer.ClusterUrl(clusterKey)), workloadServer.TokenFor,
                certificateAuthorityPem: workloadServer.CertificateAuthorityPem);
            await using var cloud = await InMemoryCloudServer.StartAsync(new InMemoryCloudOptions
            {
                Key = key,
                StorageConnectionString = storageConnection,
                TableName = parse.GetValue(table)!,
                Port = parse.GetValue(port),
            }, workloads, ConfigureLogging, ct);
            Console.WriteLine($"In-memory cloud listening on {cloud.Url}");
            Console.WriteLine($"Workload clusters served by {workloadServer.Url}/clusters/<namespace>--<name>");
            if (string.IsNullOrEmpty(workloadToken))
                Console.WriteLine("InMemoryCloud:WorkloadToken is not set: a token was generated, so kubeconfigs written by the app will not work.");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: dispose stops the cloud and writes the workload clusters' snapshot.
            }
            return 0;
        });
        return cmd;
    }

    private static void ConfigureLogging(ILoggingBuilder logging)
    {
        // Request-level framework logs would drown the cloud's own lines.
        logging.AddFilter("Microsoft", LogLevel.Warning);
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
    }
}
