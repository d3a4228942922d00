using ServerlessCapi.Functions.Queues;

namespace ServerlessCapi.Functions.Tests.Queues;

public class PollingBackoffTests
{
    [Fact]
    public void Empty_polls_double_the_wait_up_to_the_maximum_and_a_message_resets_it()
    {
        var backoff = new PollingBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500));

        var waits = Enumerable.Range(0, 5).Select(_ => backoff.Empty().TotalMilliseconds).ToList();
        waits.ShouldBe([100, 200, 400, 500, 500]);

        backoff.Hit();
        backoff.Current.ShouldBe(TimeSpan.Zero);
        backoff.Resets.ShouldBe(1);
        backoff.Empty().ShouldBe(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Messages_in_a_row_do_not_count_as_resets()
    {
        var backoff = new PollingBackoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1));
        backoff.Hit();
        backoff.Hit();
        backoff.Resets.ShouldBe(0);
    }
}
