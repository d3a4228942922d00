using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;

namespace ServerlessCapi.DurableBench;

/// <summary>Counts every storage request (retries included) by service and method.</summary>
internal sealed class RequestCounter(int blobPort, int queuePort, int tablePort) : HttpPipelineSynchronousPolicy
{
    private readonly ConcurrentDictionary<string, long> counts = new();

    public long Total => counts.Values.Sum();

    public void Reset() => counts.Clear();

    public IReadOnlyDictionary<string, long> Snapshot() => new SortedDictionary<string, long>(counts);

    public override void OnSendingRequest(HttpMessage message)
    {
        var uri = message.Request.Uri.ToUri();
        // Azurite serves blob, queue and table on separate ports.
        var service = uri.Port == blobPort ? "blob" : uri.Port == queuePort ? "queue" : uri.Port == tablePort ? "table" : "other";
        counts.AddOrUpdate($"{service} {message.Request.Method}", 1, (_, n) => n + 1);
    }
}
