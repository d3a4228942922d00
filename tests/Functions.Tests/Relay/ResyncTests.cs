using Azure.Data.Tables;
using k8s;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Relay;
using ServerlessCapi.Functions.Timers;
using ServerlessCapi.Kube.Events;
using ServerlessCapi.Kube.Relay;

namespace ServerlessCapi.Functions.Tests.Relay;

public class ResyncTests
{
    [Fact]
    public async Task Resync_enqueues_every_object_once_per_run_spread_at_the_configured_rate()
    {
        await using var h = await RelayHarness.StartAsync();
        var created = new[] { await h.CreateAsync("one"), await h.CreateAsync("two"), await h.CreateAsync("three") };
        await using var app = await RunResyncOnceAsync(h, h.Prefix, new() { ["Resync:MaxPerSecond"] = "0.1" }, o => o.ClusterName = "mgmt");

        // At 0.1 per second the second and third events become visible 10 and 20 s later.
        // The app encodes messages as the queue trigger expects (base64).
        var queue = app.Get<ServerlessCapi.Functions.Hosting.StorageAccount>().Queue(h.Prefix);
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.ShouldBe(3);
        var visible = (await queue.PeekMessagesAsync(32)).Value;
        var e = ObjectEvents.Parse(visible.ShouldHaveSingleItem().MessageText);
        var data = ObjectEvents.DataOf(e);
        created.ShouldContain((data.Uid, data.ResourceVersion!));
        e.Id.ShouldStartWith($"{data.Uid}:{data.ResourceVersion}:resync:");
    }

    [Fact]
    public async Task Resync_sends_a_seconds_worth_of_events_per_message()
    {
        await using var h = await RelayHarness.StartAsync();
        for (var i = 0; i < 5; i++) await h.CreateAsync($"o{i}");
        await using var app = await RunResyncOnceAsync(h, h.Prefix, new() { ["Resync:MaxPerSecond"] = "2" }, o => o.ClusterName = "mgmt");

        // Five events at two per second: messages of 2, 2 and 1, visible now, in 1 s and in 2 s.
        var queue = app.Get<ServerlessCapi.Functions.Hosting.StorageAccount>().Queue(h.Prefix);
        (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount.ShouldBe(3);
        var first = (await queue.PeekMessagesAsync(32)).Value.ShouldHaveSingleItem();
        ObjectEvents.ParseAll(first.MessageText).Count.ShouldBe(2);
    }

    [Fact]
    public async Task Resync_skips_what_the_relay_delivered_at_the_current_version_unless_full()
    {
        await using var h = await RelayHarness.StartAsync();
        var (relay, stop) = h.Run();
        await WaitFor.ConditionAsync(() => relay.IsActive, TimeSpan.FromSeconds(30), "the relay active");
        var (_, oneVersion) = await h.CreateAsync("one");
        var (_, twoVersion) = await h.CreateAsync("two");
        await h.WaitForEventAsync("one", d => d.ResourceVersion == oneVersion, "one relayed");
        await h.WaitForEventAsync("two", d => d.ResourceVersion == twoVersion, "two relayed");
        // Delivered, as resync reads it, means checkpointed: the relay records what it sent just after sending it.
        var checkpoints = new RelayCheckpointStore(new TableClient(h.Storage, h.Options().CheckpointTable), h.Options().ClusterName);
        await WaitFor.ConditionAsync(async () =>
        {
            var known = (await checkpoints.LoadAsync(h.Kind, default)).Objects.Values.ToList();
            return known.Any(o => o.Name == "one" && o.ResourceVersion == oneVersion) && known.Any(o => o.Name == "two" && o.ResourceVersion == twoVersion);
        }, TimeSpan.FromSeconds(30), "one and two checkpointed by the relay");
        await h.StopAsync(stop);
        var (twoUid, changed) = await h.UpdateAsync("two", 5); // a change the stopped relay did not deliver

        async Task<List<ObjectEventData>> ResyncAsync(bool full)
        {
            var queueName = TestNames.Unique("rs");
            var settings = new Dictionary<string, string>
            {
                ["Resync:Full"] = full ? "true" : "false",
                ["Resync:MaxPerSecond"] = "1000000", // every event visible at once
            };
            await using var app = await RunResyncOnceAsync(h, queueName, settings, o =>
            {
                var relayed = h.Options();
                o.ClusterName = relayed.ClusterName;
                o.CheckpointTable = relayed.CheckpointTable;
            });
            var queue = app.Get<ServerlessCapi.Functions.Hosting.StorageAccount>().Queue(queueName);
            return [.. (await queue.PeekMessagesAsync(32)).Value.SelectMany(m => ObjectEvents.ParseAll(m.MessageText)).Select(ObjectEvents.DataOf)];
        }

        var sent = (await ResyncAsync(full: false)).ShouldHaveSingleItem();
        (sent.Uid, sent.ResourceVersion).ShouldBe((twoUid, changed));
        (await ResyncAsync(full: true)).Select(d => d.Name).ShouldBe(["one", "two"], ignoreOrder: true);
    }

    /// <summary>Starts an app whose resync timer runs once at startup into queue <paramref name="queue"/>, and waits
    /// until the run is recorded.</summary>
    private static async Task<TestApp> RunResyncOnceAsync(RelayHarness h, string queue, Dictionary<string, string> extra, Action<RelayOptions> relay)
    {
        var settings = TestApp.DefaultSettings(h.Storage, queue);
        foreach (var (k, v) in extra) settings[k] = v;
        var app = await TestApp.StartAsync(
            f => f.Timer<ResyncFunction>("resync", "0 0 0 1 1 *", runOnStartup: true),
            settings,
            s =>
            {
                s.AddSingleton<IKubernetes>(h.Client);
                s.AddOptions<RelayOptions>().Configure(o =>
                {
                    relay(o);
                    o.Queue = queue;
                    o.Kinds = [h.Kind];
                });
                s.AddOptions<ResyncOptions>().BindConfiguration(ResyncOptions.Section);
            });
        var store = new TimerStatusStore(new Azure.Storage.Blobs.BlobContainerClient(h.Storage, queue + "-timers"));
        await WaitFor.ConditionAsync(async () => (await store.ReadAsync("resync", default)).Status is { Running: null, Last: not null },
            TimeSpan.FromSeconds(30), "the resync run recorded");
        return app;
    }
}
