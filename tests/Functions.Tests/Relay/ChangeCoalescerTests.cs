using ServerlessCapi.Kube.Events;
using ServerlessCapi.Kube.Relay;
using ServerlessCapi.Reconcilers.Kinds;

namespace ServerlessCapi.Functions.Tests.Relay;

public class ChangeCoalescerTests
{
    private static ObjectEventData Change(string uid, string rv) => new()
    {
        ApiVersion = "cluster.x-k8s.io/v1beta2",
        Kind = "Machine",
        Namespace = "ns",
        Name = "m-" + uid,
        Uid = uid,
        ResourceVersion = rv,
    };

    [Fact]
    public void A_burst_on_one_object_becomes_its_newest_version_once_the_window_passed()
    {
        var time = new ManualTime();
        var coalescer = new ChangeCoalescer(TimeSpan.FromMilliseconds(200), time);

        coalescer.Add(Change("a", "1"), "1");
        coalescer.Add(Change("a", "2"), "2");
        coalescer.Add(Change("b", "3"), "3");
        coalescer.Add(Change("a", "4"), "4");
        coalescer.IsDue.ShouldBeFalse();
        time.Advance(TimeSpan.FromMilliseconds(200));
        coalescer.IsDue.ShouldBeTrue();

        var (changes, rv) = coalescer.Drain();
        changes.Select(c => (c.Uid, c.ResourceVersion)).OrderBy(c => c.Uid).ShouldBe([("a", "4"), ("b", "3")]);
        rv.ShouldBe("4");
        coalescer.Coalesced.ShouldBe(2);
        coalescer.Drain().Changes.ShouldBeEmpty();
    }

    [Fact]
    public void A_merged_change_says_everything_its_versions_touched()
    {
        var time = new ManualTime();
        var coalescer = new ChangeCoalescer(TimeSpan.FromMilliseconds(200), time);

        coalescer.Add(Change("a", "1") with { Changed = [CapiAspects.Availability.Name, ObjectAspects.Status] }, "1");
        coalescer.Add(Change("a", "2") with { Changed = [] }, "2");
        coalescer.Add(Change("b", "3") with { Changed = [ObjectAspects.Meta] }, "3");
        coalescer.Add(Change("b", "4"), "4");
        var (changes, _) = coalescer.Drain();

        changes.Single(c => c.Uid == "a").Changed.ShouldBe([CapiAspects.Availability.Name, ObjectAspects.Status], ignoreOrder: true);
        changes.Single(c => c.Uid == "b").Changed.ShouldBeNull(); // one version did not say: everything

        coalescer.Add(Change("a", "5") with { Changed = [ObjectAspects.Meta] }, "5");
        coalescer.Restore([Change("a", "2") with { Changed = [ObjectAspects.Status] }], "2");
        var restored = coalescer.Drain().Changes.ShouldHaveSingleItem();
        restored.ResourceVersion.ShouldBe("5");
        restored.Changed.ShouldBe([ObjectAspects.Meta, ObjectAspects.Status], ignoreOrder: true);
    }

    [Fact]
    public void A_bookmark_moves_the_checkpoint_without_changes_and_a_failed_send_is_restored()
    {
        var time = new ManualTime();
        var coalescer = new ChangeCoalescer(TimeSpan.FromMilliseconds(100), time);

        coalescer.Bookmark("10");
        var (none, rv) = coalescer.Drain();
        none.ShouldBeEmpty();
        rv.ShouldBe("10");
        coalescer.Drain().ResourceVersion.ShouldBeNull();

        coalescer.Add(Change("a", "11"), "11");
        var drained = coalescer.Drain();
        coalescer.Add(Change("a", "12"), "12");
        coalescer.Restore(drained.Changes, drained.ResourceVersion);

        var (changes, after) = coalescer.Drain();
        changes.ShouldHaveSingleItem().ResourceVersion.ShouldBe("12");
        after.ShouldBe("12");
    }
}
