using Azure.Storage.Queues;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>The task hub's storage queues as the storage account sees them.</summary>
internal static class HubQueues
{
    /// <summary>Every queue of the hub with its message count. The count includes hidden messages: a scheduled wake
    /// waits hidden until due, and a dequeued message stays until its batch has committed and deleted it, so a count
    /// that reaches the expected pending wakes means every other message has been processed.</summary>
    public static async Task<IReadOnlyList<(string Name, int Messages)>> CountsAsync(string hub)
    {
        var service = new QueueServiceClient(await SharedAzurite.ConnectionStringAsync());
        var counts = new List<(string, int)>();
        await foreach (var queue in service.GetQueuesAsync(prefix: $"{hub.ToLowerInvariant()}-"))
        {
            var properties = await service.GetQueueClient(queue.Name).GetPropertiesAsync();
            counts.Add((queue.Name, properties.Value.ApproximateMessagesCount));
        }
        return counts;
    }

    /// <summary>Messages in all of the hub's queues.</summary>
    public static async Task<int> MessagesAsync(string hub) => (await CountsAsync(hub)).Sum(q => q.Messages);
}
