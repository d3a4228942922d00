using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Entities;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ServerlessCapi.Workflows.Entity;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Hosting;

/// <summary>The standalone durable host: one Azure Storage task hub, a plain DTFx <see cref="TaskHubWorker"/> running
/// the SDK-written classes through <see cref="DurableTaskShimFactory"/>, and the client a management API needs.
/// Many processes may run it against one storage account; they share the hub's partitions.</summary>
public sealed class DurableHost : IAsyncDisposable
{
    private readonly DurableHostOptions options;
    private readonly TaskHubWorker? worker;
    private readonly DurableTaskShimFactory shims;
    private readonly CancellationTokenSource stopping = new();
    private bool started;

    public DurableHost(DurableHostOptions options, IObjectReconcile? reconcile = null, TimeProvider? clock = null)
    {
        this.options = options;
        var loggers = options.LoggerFactory ?? NullLoggerFactory.Instance;
        Service = new AzureStorageOrchestrationService(BuildSettings(options, loggers));
        Client = new ObjectWorkflowClient(Service);
        Signals = Client;
        shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions(), loggers);
        if (!options.EnableWorker) return;
        worker = new TaskHubWorker(Service, loggers);
        if (reconcile is not null)
        {
            var time = clock ?? TimeProvider.System;
            // Only where this process runs the entities can a reconcile starting here tell waiting signals they are covered.
            if (options.SignalHold > TimeSpan.Zero)
            {
                var sends = new SemaphoreSlim(Math.Max(1, options.SignalConcurrency));
                Coalescer = new SignalCoalescer(async key =>
                {
                    await sends.WaitAsync();
                    try
                    {
                        await Client.SignalChangedAsync(key);
                    }
                    finally
                    {
                        sends.Release();
                    }
                }, options.SignalHold, time);
                Signals = Coalescer;
            }
            AddEntity(ObjectReconcileEntity.Name, () => new ObjectReconcileEntity(reconcile, options.Backoff, time, stopping.Token, Coalescer));
        }
    }

    /// <summary>How the app signals objects: through <see cref="Coalescer"/> when this process runs the entities,
    /// otherwise one signal per change.</summary>
    public IObjectSignals Signals { get; }

    /// <summary>This process's change-signal coalescer, when it has one.</summary>
    public SignalCoalescer? Coalescer { get; }

    public AzureStorageOrchestrationService Service { get; }

    public ObjectWorkflowClient Client { get; }

    public string WorkerId => options.WorkerId;

    /// <summary>Registers an SDK entity under <paramref name="name"/> (DTFx lower-cases entity names).</summary>
    public DurableHost AddEntity(string name, Func<ITaskEntity> create)
    {
        var lower = name.ToLowerInvariant();
        RequireWorker().AddTaskEntities(new FuncCreator<global::DurableTask.Core.Entities.TaskEntity>(lower, () => new EntityShim(shims, lower, create)));
        return this;
    }

    /// <summary>Registers an SDK orchestrator (a fresh object per episode, as the SDK expects).</summary>
    public DurableHost AddOrchestrator(string name, Func<ITaskOrchestrator> create)
    {
        RequireWorker().AddTaskOrchestrations(new FuncCreator<TaskOrchestration>(name, () => shims.CreateOrchestration(new TaskName(name), create())));
        return this;
    }

    public DurableHost AddActivity(string name, Func<ITaskActivity> create)
    {
        RequireWorker().AddTaskActivities(new FuncCreator<TaskActivity>(name, () => shims.CreateActivity(new TaskName(name), create())));
        return this;
    }

    /// <summary>Creates the hub's queues, tables and containers if missing, then starts the worker (if any).</summary>
    public async Task StartAsync()
    {
        await Service.CreateIfNotExistsAsync();
        if (worker is not null) await worker.StartAsync();
        started = true;
    }

    /// <summary>Stops taking work; <paramref name="force"/> abandons in-flight work items instead of waiting.</summary>
    public async Task StopAsync(bool force = false)
    {
        if (!started) return;
        started = false;
        if (force) await stopping.CancelAsync();
        if (worker is not null) await worker.StopAsync(force);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(force: true);
        worker?.Dispose();
        stopping.Dispose();
    }

    private TaskHubWorker RequireWorker() =>
        worker ?? throw new InvalidOperationException("This host was built without a worker.");

    private static AzureStorageOrchestrationServiceSettings BuildSettings(DurableHostOptions o, ILoggerFactory loggers)
    {
        var blob = new BlobClientOptions();
        var queue = new QueueClientOptions();
        var table = new TableClientOptions();
        if (o.StoragePolicy is { } policy)
        {
            blob.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            queue.AddPolicy(policy, HttpPipelinePosition.PerRetry);
            table.AddPolicy(policy, HttpPipelinePosition.PerRetry);
        }
        return new AzureStorageOrchestrationServiceSettings
        {
            TaskHubName = o.TaskHubName,
            WorkerId = o.WorkerId,
            PartitionCount = o.PartitionCount,
            StorageAccountClientProvider = new StorageAccountClientProvider(
                StorageServiceClientProvider.ForBlob(o.ConnectionString, blob),
                StorageServiceClientProvider.ForQueue(o.ConnectionString, queue),
                StorageServiceClientProvider.ForTable(o.ConnectionString, table)),
            ControlQueueVisibilityTimeout = o.ControlQueueVisibilityTimeout,
            WorkItemQueueVisibilityTimeout = o.WorkItemQueueVisibilityTimeout,
            UseTablePartitionManagement = o.UseTablePartitionManagement,
            LeaseInterval = o.PartitionLeaseInterval,
            // Renew and acquire well inside the interval, so a live owner never loses its partitions.
            LeaseRenewInterval = o.PartitionLeaseInterval / 3,
            LeaseAcquireInterval = o.PartitionLeaseInterval / 3,
            // DTFx cancels a partition-table read-and-write after 2 s and retries it; on a CPU-starved machine every
            // attempt ran past that (a 100-cluster run logged the timeout every 7 s for ten minutes), so claims were
            // never renewed. Any time within the renew interval still renews in time.
            PartitionTableOperationTimeout = o.PartitionLeaseInterval / 3,
            MaxQueuePollingInterval = o.MaxQueuePollingInterval,
            MaxConcurrentTaskEntityWorkItems = o.MaxConcurrentReconciles,
            ExtendedSessionsEnabled = o.ExtendedSessions,
            ExtendedSessionIdleTimeout = o.ExtendedSessionIdleTimeout,
            // Entities need their own work-item queue on a plain TaskHubWorker (TaskHubWorker checks this flag).
            UseSeparateQueueForEntityWorkItems = true,
            LoggerFactory = loggers,
        };
    }
}
