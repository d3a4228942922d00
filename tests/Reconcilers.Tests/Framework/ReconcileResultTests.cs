using ServerlessCapi.Reconcilers.Framework;

namespace ServerlessCapi.Reconcilers.Tests.Framework;

public class ReconcileResultTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_poll_waits_twice_as_long_after_each_quiet_look_up_to_its_limit()
    {
        var poll = ReconcileResult.Poll(2 * Second, 30 * Second, "waiting");
        Enumerable.Range(-1, 7).Select(n => poll.DelayAfter(n)!.Value.TotalSeconds).ShouldBe([2, 2, 4, 8, 16, 30, 30]);
    }

    [Fact]
    public void A_plain_requeue_never_backs_off()
    {
        var requeue = ReconcileResult.Requeue(5 * Second);
        requeue.DelayAfter(10).ShouldBe(5 * Second);
        ReconcileResult.Done().DelayAfter(3).ShouldBeNull();
    }

    [Fact]
    public void Merging_keeps_the_sooner_need_and_whether_it_is_a_poll()
    {
        var poll = ReconcileResult.Poll(2 * Second, 30 * Second);
        var requeue = ReconcileResult.Requeue(5 * Second, "later");
        poll.Merge(requeue).ShouldBe(new ReconcileResult(2 * Second, "later", 30 * Second));
        requeue.Merge(ReconcileResult.Poll(10 * Second, 60 * Second)).PollLimit.ShouldBeNull();
        ReconcileResult.Done().Merge(poll).PollLimit.ShouldBe(30 * Second);
    }
}
