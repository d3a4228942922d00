using Azure.Data.Tables;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable;
using ServerlessCapi.Durable.TestWorker;

// Usage: worker --connection <cs> --hub <hub> --worker-id <id> [--partitions 4] [--visibility-seconds 3] [--timer-seconds 1]
var arguments = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 0; i + 1 < args.Length; i += 2) arguments[args[i].TrimStart('-')] = args[i + 1];
string Arg(string name, string? fallback = null) =>
    arguments.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");

var connection = Arg("connection");
var hub = Arg("hub");
var workerId = Arg("worker-id");
var effects = new TableClient(connection, $"{hub}Effects");
await effects.CreateIfNotExistsAsync();

var builder = Host.CreateApplicationBuilder();
builder.Logging.ClearProviders();
builder.Logging.AddSimpleConsole(o => o.TimestampFormat = "HH:mm:ss.fff ").SetMinimumLevel(LogLevel.Warning);
builder.Services.AddDurableWorkflows(o =>
{
    o.ConnectionString = connection;
    o.HubName = hub;
    o.WorkerId = workerId;
    o.PartitionCount = int.Parse(Arg("partitions", "4"), System.Globalization.CultureInfo.InvariantCulture);
    o.VisibilityTimeout = TimeSpan.FromSeconds(double.Parse(Arg("visibility-seconds", "3"), System.Globalization.CultureInfo.InvariantCulture));
    o.MaxPollingInterval = TimeSpan.FromMilliseconds(250);
    o.SweepInterval = TimeSpan.FromSeconds(2);
    o.SweepGrace = TimeSpan.FromSeconds(2);
    o.LeaseDuration = TimeSpan.FromSeconds(15);
    o.RetryInitialDelay = TimeSpan.FromMilliseconds(200);
})
    .AddWorkflow(new ChaosParent(effects, workerId,
        TimeSpan.FromSeconds(double.Parse(Arg("timer-seconds", "1"), System.Globalization.CultureInfo.InvariantCulture))))
    .AddWorkflow(new ChaosChild())
    .AddWorkflow(new ChaosSink());
using var host = builder.Build();
Console.WriteLine($"worker {workerId} ready");
await host.RunAsync();
