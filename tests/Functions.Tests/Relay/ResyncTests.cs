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
        var settings = TestApp.DefaultSettings(h.Storage, h.Prefix);
        settings["Resync:MaxPerSecond"] = "0.1";
        await using var app = await TestApp.StartAsync(
            f => f.Timer<ResyncFunction>("resync", "0 0 0 1 1 *", runOnStartup: true),
            settings,
            s =>
            {
                s.AddSingleton<IKubernetes>(h.Client);
                s.AddOptions<RelayOptions>().Configure(o =>
                {
                    o.ClusterName = "mgmt";
                    o.Queue = h.Prefix;
                    o.Kinds = [h.Kind];
                });
                s.AddOptions<ResyncOptions>().BindConfiguration(ResyncOptions.Section);
            });
        var store = new TimerStatusStore(new Azure.Storage.Blobs.BlobContainerClient(h.Storage, h.Prefix + "-timers"));
        await WaitFor.ConditionAsync(async () => (await store.ReadAsync("resync", default)).Status is { Running: null, Last: not null },
            TimeSpan.FromSeconds(30), "the resync run recorded");

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
}
