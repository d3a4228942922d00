using ServerlessCapi.Functions.Tests.Relay;
using ServerlessCapi.Functions.Tests.Support;
using ServerlessCapi.Kube.Events;

namespace ServerlessCapi.Functions.Tests.Dispatch;

/// <summary>The dispatcher's name → uid lookup against the embedded API server: cached, fed by events, and never
/// answering with a uid an event said is gone.</summary>
public sealed class ObjectLookupTests
{
    private static ObjectEventData Change(RelayHarness h, string name, string uid, bool deleted = false) => new()
    {
        ApiVersion = h.Kind.ApiVersion,
        Kind = h.Kind.Kind,
        Namespace = h.Namespace,
        Name = name,
        Uid = uid,
        Deleted = deleted,
    };

    [Fact]
    public async Task A_recreated_object_is_found_by_its_new_uid_once_its_deletion_is_observed_or_the_entry_expires()
    {
        await using var h = await RelayHarness.StartAsync();
        var time = new ManualTime();
        var lookup = new KubeObjectLookup(h.Kube, [h.Kind], time);
        var target = new RouteTarget(h.Kind.Kind, h.Namespace, "a");

        (await lookup.UidAsync(target, default)).ShouldBeNull();
        var (first, _) = await h.CreateAsync("a");
        (await lookup.UidAsync(target, default)).ShouldBe(first, "a miss is not remembered");

        await h.DeleteAsync("a");
        var (second, _) = await h.CreateAsync("a");
        (await lookup.UidAsync(target, default)).ShouldBe(first, "within its lifetime the entry answers without a read");
        time.Advance(KubeObjectLookup.UidCacheTtl);
        (await lookup.UidAsync(target, default)).ShouldBe(second, "an expired entry is read again");

        lookup.Observe(Change(h, "a", second, deleted: true));
        await h.DeleteAsync("a");
        var (third, _) = await h.CreateAsync("a");
        (await lookup.UidAsync(target, default)).ShouldBe(third, "an observed deletion drops the entry at once");
    }

    [Fact]
    public async Task An_observed_object_is_known_without_a_read()
    {
        await using var h = await RelayHarness.StartAsync();
        var lookup = new KubeObjectLookup(h.Kube, [h.Kind], new ManualTime());

        lookup.Observe(Change(h, "b", "uid-from-an-event"));

        (await lookup.UidAsync(new RouteTarget(h.Kind.Kind, h.Namespace, "b"), default)).ShouldBe("uid-from-an-event");
        (await lookup.UidAsync(new RouteTarget(h.Kind.Kind, h.Namespace, "c"), default)).ShouldBeNull();
    }
}
