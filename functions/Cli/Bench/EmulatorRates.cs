using System.Diagnostics;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace ServerlessCapi.Cli.Bench;

/// <summary>The emulator's own ceiling, measured in the same run as a benchmark: queue send-receive-delete cycles and
/// table upserts per second with nothing else in between (what the product's numbers are read against).</summary>
internal static class EmulatorRates
{
    internal static async Task<double> RawQueueRateAsync(string cs, int messages, CancellationToken ct)
    {
        var queue = new QueueClient(cs, "ceiling");
        await queue.CreateIfNotExistsAsync(cancellationToken: ct);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, messages), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, token) => await queue.SendMessageAsync($"m{i}", token));
        var received = 0;
        while (received < messages)
        {
            var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(1), ct)).Value;
            await Parallel.ForEachAsync(batch, ct, async (m, token) => await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt, token));
            received += batch.Length;
        }
        return messages / clock.Elapsed.TotalSeconds;
    }

    internal static async Task<double> RawTableRateAsync(string cs, int rows, CancellationToken ct)
    {
        var table = new TableClient(cs, "Ceiling");
        await table.CreateIfNotExistsAsync(ct);
        var clock = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, rows), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = ct },
            async (i, token) => await table.UpsertEntityAsync(new TableEntity($"p{i % 100}", $"r{i}") { ["Value"] = i }, TableUpdateMode.Replace, token));
        return rows / clock.Elapsed.TotalSeconds;
    }
}
