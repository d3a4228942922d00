using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace ServerlessCapi.Functions.Hosting;

/// <summary>Clients for the app's storage account (<c>AzureWebJobsStorage</c>).</summary>
public sealed class StorageAccount
{
    public const string ConnectionSetting = "AzureWebJobsStorage";

    private readonly string? _connectionString;
    private readonly QueuesOptions _queues;

    public StorageAccount(IConfiguration configuration, IOptions<QueuesOptions> queues)
    {
        _connectionString = configuration[ConnectionSetting] is { Length: > 0 } cs ? cs : null;
        _queues = queues.Value;
    }

    public bool IsConfigured => _connectionString is not null;

    public string ConnectionString => _connectionString
        ?? throw new InvalidOperationException($"The setting '{ConnectionSetting}' (storage connection string) is not configured.");

    /// <summary>A queue client that encodes messages as the trigger expects (<c>messageEncoding</c>).</summary>
    /// <remarks>Use this to enqueue messages for a queue-triggered function.</remarks>
    public QueueClient Queue(string name) => new(ConnectionString, name, new QueueClientOptions
    {
        MessageEncoding = _queues.Base64 ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None,
    });

    /// <summary>A queue client without encoding: the trigger decodes itself so it can dead-letter undecodable messages.</summary>
    internal QueueClient RawQueue(string name) => new(ConnectionString, name);

    public BlobContainerClient Container(string name) => new(ConnectionString, name);

    public TableClient Table(string name) => new(ConnectionString, name);

    public QueueServiceClient QueueService() => new(ConnectionString);
}
