using System.Diagnostics;
using System.Globalization;
using ServerlessCapi.ApiServerBench;
using ServerlessCapi.EmbeddedApiServer;

// Usage: dotnet run -c Release --project bench/ApiServerBench [-- objects rounds watchers]
var objects = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
var rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 3;
var watchers = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 10;

await using var server = await EmbeddedApiServer.StartAsync(new EmbeddedApiServerOptions { WatchWindow = objects * 2 });
using var http = server.CreateHttpClient();
var bench = new Workload(http);
await bench.RegisterCrdAsync();

var results = new Dictionary<string, List<double>>(StringComparer.Ordinal);
void Record(string name, double value) => (results.TryGetValue(name, out var l) ? l : results[name] = []).Add(value);

for (var round = 0; round < rounds; round++)
{
    var ns = $"bench{round}";
    await bench.CreateNamespaceAsync(ns);

    var heapBefore = Memory.HeapAfterFullGc();
    var rssBefore = Memory.Rss();
    var sw = Stopwatch.StartNew();
    await bench.CreateAsync(ns, objects, parallelism: 8);
    Record("create objects/s", objects / sw.Elapsed.TotalSeconds);
    Record("heap MiB per 10k objects", (Memory.HeapAfterFullGc() - heapBefore) / 1048576.0 * 10_000 / objects);
    Record("RSS MiB per 10k objects", (Memory.Rss() - rssBefore) / 1048576.0 * 10_000 / objects);

    sw.Restart();
    const int lists = 5;
    for (var i = 0; i < lists; i++) (await bench.ListAsync(ns, limit: 0)).ShouldBe(objects);
    Record("full list objects/s", objects * lists / sw.Elapsed.TotalSeconds);

    sw.Restart();
    (await bench.ListAsync(ns, limit: 500)).ShouldBe(objects);
    Record("paged list (500) objects/s", objects / sw.Elapsed.TotalSeconds);

    var updates = Math.Min(objects, 2_000);
    var (delivered, seconds) = await bench.WatchWhileUpdatingAsync(ns, watchers, updates);
    Record($"watch events/s delivered ({watchers} watchers)", delivered / seconds);
    Console.Error.WriteLine($"round {round + 1}/{rounds} done");
}

Console.WriteLine($"objects={objects} rounds={rounds} cores={Environment.ProcessorCount}");
foreach (var (name, values) in results)
{
    var sorted = values.Order().ToList();
    Console.WriteLine($"{name,-40} median {sorted[sorted.Count / 2],12:N1}   (all: {string.Join(", ", values.Select(v => v.ToString("N1", CultureInfo.InvariantCulture)))})");
}

internal static class Assertions
{
    public static void ShouldBe(this int actual, int expected)
    {
        if (actual != expected) throw new InvalidOperationException($"expected {expected}, got {actual}");
    }
}
