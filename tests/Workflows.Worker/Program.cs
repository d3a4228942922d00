using System.Globalization;
using Azure.Data.Tables;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;
using ServerlessCapi.Workflows.Worker;

// Settings come from the environment only (a connection string on a command line is readable by every local user).
static string Required(string name) =>
    Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set.");

static int Number(string name, int fallback) =>
    Environment.GetEnvironmentVariable(name) is { } value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

var storage = Required("SCAPI_WORKER_STORAGE");
var workerId = Environment.GetEnvironmentVariable("SCAPI_WORKER_ID") ?? "child";
var options = new DurableHostOptions
{
    ConnectionString = storage,
    TaskHubName = Required("SCAPI_WORKER_HUB"),
    WorkerId = workerId,
    PartitionCount = Number("SCAPI_WORKER_PARTITIONS", 1),
    ControlQueueVisibilityTimeout = TimeSpan.FromSeconds(Number("SCAPI_WORKER_VISIBILITY_SECONDS", 15)),
    PartitionLeaseInterval = TimeSpan.FromSeconds(Number("SCAPI_WORKER_CLAIM_SECONDS", 6)),
    MaxQueuePollingInterval = TimeSpan.FromMilliseconds(500),
    Backoff = new RetryBackoff(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1)),
    LoggerFactory = new StderrLoggerFactory(),
};
IObjectReconcile reconcile = (Environment.GetEnvironmentVariable("SCAPI_WORKER_MODE") ?? "hang") switch
{
    "hang" => new HangingReconcile(Required("SCAPI_WORKER_MARKER")),
    "steps" => new StepReconcile(new TableClient(storage, Required("SCAPI_WORKER_EFFECTS_TABLE")), workerId,
        Number("SCAPI_WORKER_STEPS", 4), TimeSpan.FromMilliseconds(Number("SCAPI_WORKER_STEP_WORK_MS", 0))),
    "requeue" => new RequeueReconcile(TimeSpan.FromSeconds(Number("SCAPI_WORKER_REQUEUE_SECONDS", 10))),
    var other => throw new InvalidOperationException($"Unknown SCAPI_WORKER_MODE '{other}'."),
};
await using var host = new DurableHost(options, reconcile);
await host.StartAsync();
Console.WriteLine("ready");
await Task.Delay(Timeout.Infinite);
