using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Selectors;
using ServerlessCapi.EmbeddedApiServer.Storage;
using ServerlessCapi.EmbeddedApiServer.Watch;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Units;

public sealed class WatchHubTests
{
    private static StoredObject Obj(long rv) => StoredObject.From(new JsonObject
    {
        ["metadata"] = new JsonObject { ["name"] = $"o{rv}", ["namespace"] = "n", ["uid"] = $"u{rv}", ["resourceVersion"] = rv.ToString(System.Globalization.CultureInfo.InvariantCulture) },
    });

    [Fact]
    public void The_window_grows_to_its_size_then_keeps_only_the_latest_events()
    {
        var hub = new WatchHub(window: 40, startRv: 0);
        for (long rv = 1; rv <= 100; rv++) hub.Publish(new WatchEvent(WatchEvent.Added, rv, Obj(rv), null));

        hub.EvictedThrough.ShouldBe(60);
        var late = new Watcher(null, LabelSelector.Everything, FieldSelector.Everything, 1000);
        hub.Replay(59, late).ShouldBeFalse("version 60 was evicted");
        var current = new Watcher(null, LabelSelector.Everything, FieldSelector.Everything, 1000);
        hub.Replay(90, current).ShouldBeTrue();
        var replayed = new List<long>();
        while (current.Reader.TryRead(out var d)) replayed.Add(d.ResourceVersion);
        replayed.ShouldBe(Enumerable.Range(91, 10).Select(i => (long)i).ToList());
    }

    [Fact]
    public void A_watcher_that_falls_too_far_behind_is_closed()
    {
        var hub = new WatchHub(window: 10, startRv: 0);
        var slow = new Watcher(null, LabelSelector.Everything, FieldSelector.Everything, queueLimit: 3);
        hub.Add(slow);
        for (long rv = 1; rv <= 5; rv++) hub.Publish(new WatchEvent(WatchEvent.Added, rv, Obj(rv), null));
        slow.Overflowed.ShouldBeTrue();
        slow.Reader.Completion.IsCompleted.ShouldBeFalse("queued events are still drained before the stream ends");
    }
}
