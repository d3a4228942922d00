using ServerlessCapi.Providers.InMemory.Cloud;

namespace ServerlessCapi.Reconcilers.Tests.Providers.InMemory;

public class SettleQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Only_due_entries_are_taken_and_the_next_due_time_is_reported()
    {
        using var q = new SettleQueue();
        q.Schedule("a", T0);
        q.Schedule("b", T0.AddSeconds(5));

        var (due, next) = q.TakeDue(T0, 10);

        due.ShouldBe(["a"]);
        next.ShouldBe(T0.AddSeconds(5));
        q.Count.ShouldBe(1);
    }

    [Fact]
    public void An_earlier_request_for_the_same_vm_replaces_a_later_one()
    {
        using var q = new SettleQueue();
        q.Schedule("a", T0.AddSeconds(10));
        q.Schedule("a", T0);
        q.Schedule("a", T0.AddSeconds(20));

        var (due, next) = q.TakeDue(T0, 10);

        due.ShouldBe(["a"]);
        next.ShouldBeNull();
        q.Count.ShouldBe(0);
    }
}
