using Azure;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging;
using ServerlessCapi.Durable.Engine;

namespace ServerlessCapi.Durable.Storage;

/// <summary>The engine's parts on one storage account: clients, store, sender, processor and client API.</summary>
internal sealed class StorageBackend
{
    private readonly object _gate = new();
    private Task? _creation;

    public StorageBackend(DurableWorkflowOptions options, WorkflowRegistry registry, ILoggerFactory loggers)
    {
        options.Validate();
        if (string.IsNullOrEmpty(options.ConnectionString))
            throw new InvalidOperationException("DurableWorkflowOptions.ConnectionString is required.");
        Options = options;
        Names = new StorageNames(options.HubName, options.PartitionCount);

        var retry = new Action<RetryOptions>(r =>
        {
            r.MaxRetries = 5;
            r.Delay = TimeSpan.FromMilliseconds(200);
            r.MaxDelay = TimeSpan.FromSeconds(5);
            r.NetworkTimeout = TimeSpan.FromSeconds(30);
        });
        var tableOptions = new TableClientOptions();
        retry(tableOptions.Retry);
        var queueOptions = new QueueClientOptions();
        retry(queueOptions.Retry);
        var blobOptions = new BlobClientOptions();
        retry(blobOptions.Retry);
        options.OperationCounter?.AttachTo(tableOptions);
        options.OperationCounter?.AttachTo(queueOptions);
        options.OperationCounter?.AttachTo(blobOptions);

        var tables = new TableServiceClient(options.ConnectionString, tableOptions);
        var queues = new QueueServiceClient(options.ConnectionString, queueOptions);
        var blobs = new BlobServiceClient(options.ConnectionString, blobOptions);
        Instances = tables.GetTableClient(Names.InstancesTable);
        Workers = tables.GetTableClient(Names.WorkersTable);
        ControlQueues = [.. Enumerable.Range(0, options.PartitionCount).Select(p => queues.GetQueueClient(Names.ControlQueue(p)))];
        PoisonQueue = queues.GetQueueClient(Names.PoisonQueue);
        Leases = blobs.GetBlobContainerClient(Names.LeaseContainer);
        Payloads = blobs.GetBlobContainerClient(Names.PayloadContainer);

        Wakeups = new LocalWakeups(options.PartitionCount, options.TimeProvider);
        Store = new TableInstanceStore(Instances, EnsureCreatedAsync, new InstanceCache(options.InstanceCacheSize), loggers.CreateLogger<TableInstanceStore>());
        Sender = new QueueControlSender(ControlQueues, Payloads, Wakeups, EnsureCreatedAsync);
        Local = new LocalDelivery(options.PartitionCount, options.TimeProvider) { OnCoalesced = options.OnSignalCoalesced };
        var outgoing = new LocalFirstSender(Sender, Local);
        Processor = new InstanceProcessor(Store, outgoing, registry, options, loggers.CreateLogger<InstanceProcessor>(), Local.Begin);
        Client = new WorkflowClient(Store, outgoing, options, registry);
    }

    public DurableWorkflowOptions Options { get; }
    public StorageNames Names { get; }
    public TableClient Instances { get; }
    public TableClient Workers { get; }
    public QueueClient[] ControlQueues { get; }
    public QueueClient PoisonQueue { get; }
    public BlobContainerClient Leases { get; }
    public BlobContainerClient Payloads { get; }
    public LocalWakeups Wakeups { get; }
    public TableInstanceStore Store { get; }
    /// <summary>Straight to the queues (the sweeper's nudges, timers this process does not keep).</summary>
    public QueueControlSender Sender { get; }

    /// <summary>Timers and repeated signals this process keeps to itself for the partitions it owns.</summary>
    public LocalDelivery Local { get; }
    public InstanceProcessor Processor { get; }
    public WorkflowClient Client { get; }

    /// <summary>Creates the hub's tables, queues and containers once per process (idempotent across processes).</summary>
    public Task EnsureCreatedAsync(CancellationToken ct)
    {
        Task task;
        lock (_gate)
        {
            // A failed attempt (the emulator may still have been starting) is not remembered: try again.
            if (_creation is null || _creation.IsFaulted || _creation.IsCanceled)
                _creation = CreateResourcesAsync(CancellationToken.None);
            task = _creation;
        }
        return task.IsCompletedSuccessfully ? Task.CompletedTask : task.WaitAsync(ct);
    }

    private async Task CreateResourcesAsync(CancellationToken ct)
    {
        var work = new List<Task>
        {
            Instances.CreateIfNotExistsAsync(ct),
            Workers.CreateIfNotExistsAsync(ct),
            PoisonQueue.CreateIfNotExistsAsync(cancellationToken: ct),
            Leases.CreateIfNotExistsAsync(cancellationToken: ct),
            Payloads.CreateIfNotExistsAsync(cancellationToken: ct),
        };
        work.AddRange(ControlQueues.Select(q => q.CreateIfNotExistsAsync(cancellationToken: ct)));
        await Task.WhenAll(work);
        var blobs = Enumerable.Range(0, Names.PartitionCount).Select(StorageNames.PartitionLeaseBlob).Append(StorageNames.SweeperLeaseBlob);
        await Task.WhenAll(blobs.Select(async name =>
        {
            try
            {
                await Leases.GetBlobClient(name).UploadAsync(BinaryData.FromString(""), overwrite: false, ct);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Exists (and may be leased).
            }
        }));
    }
}
