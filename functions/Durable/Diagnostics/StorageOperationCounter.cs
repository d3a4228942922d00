using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace ServerlessCapi.Durable;

/// <summary>Counts storage requests by service and operation (for example <c>queue.Receive</c>, <c>table.Batch</c>),
/// through an Azure SDK pipeline policy. Every attempt counts, retries included: it is what the account serves.</summary>
/// <example><code>
/// var counter = new StorageOperationCounter();
/// var options = new QueueClientOptions();
/// counter.AttachTo(options);
/// // ... use clients built with options ...
/// counter.Snapshot()["queue.Send"];
/// </code></example>
public sealed class StorageOperationCounter
{
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    public long Total => _counts.Values.Sum();

    /// <summary>Counts so far, keyed <c>service.Operation</c>.</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(_counts, StringComparer.Ordinal);

    /// <summary>Counts so far per service (<c>queue</c>, <c>table</c>, <c>blob</c>).</summary>
    public IReadOnlyDictionary<string, long> ByService() =>
        _counts.GroupBy(kv => kv.Key[..kv.Key.IndexOf('.', StringComparison.Ordinal)], StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(kv => kv.Value), StringComparer.Ordinal);

    public void Reset() => _counts.Clear();

    public void AttachTo(QueueClientOptions options) => options.AddPolicy(new Policy(this, "queue"), HttpPipelinePosition.PerRetry);

    public void AttachTo(TableClientOptions options) => options.AddPolicy(new Policy(this, "table"), HttpPipelinePosition.PerRetry);

    public void AttachTo(BlobClientOptions options) => options.AddPolicy(new Policy(this, "blob"), HttpPipelinePosition.PerRetry);

    internal void Count(string service, string operation) => _counts.AddOrUpdate($"{service}.{operation}", 1, (_, n) => n + 1);

    /// <summary>Names a request the way the storage REST API documents it.</summary>
    public static string Classify(string service, string method, string path, string query, Func<string, string?> header)
    {
        var segments = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        var q = query.ToUpperInvariant();
        return service switch
        {
            "queue" => ClassifyQueue(method, segments, q),
            "table" => ClassifyTable(method, segments, header),
            "blob" => ClassifyBlob(method, segments, q, header),
            _ => method,
        };
    }

    private static string ClassifyQueue(string method, string[] segments, string q)
    {
        var messagesAt = Array.FindIndex(segments, s => s.Equals("messages", StringComparison.OrdinalIgnoreCase));
        if (messagesAt < 0)
        {
            return method switch
            {
                "PUT" when q.Contains("COMP=METADATA", StringComparison.Ordinal) => "SetMetadata",
                "PUT" => "CreateQueue",
                "DELETE" => "DeleteQueue",
                "GET" when q.Contains("COMP=LIST", StringComparison.Ordinal) => "ListQueues",
                _ => "GetProperties",
            };
        }
        var onMessage = segments.Length > messagesAt + 1;
        return (method, onMessage) switch
        {
            ("POST", _) => "Send",
            ("GET", _) when q.Contains("PEEKONLY=TRUE", StringComparison.Ordinal) => "Peek",
            ("GET", _) => "Receive",
            ("DELETE", true) => "Delete",
            ("DELETE", false) => "Clear",
            ("PUT", true) => "Update",
            _ => method,
        };
    }

    private static string ClassifyTable(string method, string[] segments, Func<string, string?> header)
    {
        var last = segments.Length == 0 ? "" : segments[^1];
        if (last.Equals("$batch", StringComparison.OrdinalIgnoreCase)) return "Batch";
        if (last.StartsWith("Tables", StringComparison.OrdinalIgnoreCase))
            return method switch { "POST" => "CreateTable", "DELETE" => "DeleteTable", _ => "ListTables" };
        var entity = last.Contains("PartitionKey=", StringComparison.Ordinal);
        return method switch
        {
            "GET" when entity => "Get",
            "GET" => "Query",
            "POST" => "Insert",
            "PUT" when header("If-Match") is not null => "Update",
            "PUT" => "Upsert",
            "PATCH" or "MERGE" => header("If-Match") is not null ? "Merge" : "UpsertMerge",
            "DELETE" => "Delete",
            _ => method,
        };
    }

    private static string ClassifyBlob(string method, string[] segments, string q, Func<string, string?> header)
    {
        if (q.Contains("COMP=LEASE", StringComparison.Ordinal))
        {
            var action = header("x-ms-lease-action");
            return action is null ? "Lease" : $"Lease{char.ToUpperInvariant(action[0])}{action[1..]}";
        }
        if (q.Contains("RESTYPE=CONTAINER", StringComparison.Ordinal))
            return method switch { "PUT" => "CreateContainer", "DELETE" => "DeleteContainer", _ => "ContainerProperties" };
        _ = segments;
        return method switch
        {
            "PUT" => "Upload",
            "GET" => "Download",
            "HEAD" => "GetProperties",
            "DELETE" => "Delete",
            _ => method,
        };
    }

    private sealed class Policy(StorageOperationCounter owner, string service) : HttpPipelineSynchronousPolicy
    {
        public override void OnSendingRequest(HttpMessage message)
        {
            var r = message.Request;
            var operation = Classify(service, r.Method.Method, r.Uri.Path, r.Uri.Query, name => r.Headers.TryGetValue(name, out var v) ? v : null);
            owner.Count(service, operation);
        }
    }
}
