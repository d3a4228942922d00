using System.Collections.Concurrent;
using ServerlessCapi.Testing;
using ServerlessCapi.Workflows.Hosting;
using ServerlessCapi.Workflows.Reconcile;

namespace ServerlessCapi.Workflows.Tests;

/// <summary>The per-process change-signal coalescer: its rules with a recording send, and a burst on a real hub.</summary>
public sealed class CoalescingTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private sealed class RecordingSend
    {
        public ConcurrentQueue<ObjectKey> Sent { get; } = new();

        public Func<ObjectKey, Task>? Behaviour { get; set; }

        public Task SendAsync(ObjectKey key)
        {
            Sent.Enqueue(key);
            return Behaviour?.Invoke(key) ?? Task.CompletedTask;
        }
    }

    [Fact]
    public async Task A_change_while_a_signal_is_pending_is_covered_by_the_next_run_without_another_signal()
    {
        var send = new RecordingSend();
        var coalescer = new SignalCoalescer(send.SendAsync, TimeSpan.FromMinutes(5));
        var key = Hubs.Key("pending");

        await coalescer.SignalAsync(key, CancellationToken.None);
        var second = coalescer.SignalAsync(key, CancellationToken.None);
        var third = coalescer.SignalAsync(key, CancellationToken.None);
        send.Sent.Count.ShouldBe(1);
        second.IsCompleted.ShouldBeFalse("a change is not acknowledged before a run or a signal covers it");

        coalescer.RunStarting(key);
        await Task.WhenAll(second, third).WaitAsync(Timeout);
        send.Sent.Count.ShouldBe(1);
        coalescer.PendingCount.ShouldBe(0);
    }

    [Fact]
    public async Task A_change_after_the_run_started_sends_a_fresh_signal()
    {
        var send = new RecordingSend();
        var coalescer = new SignalCoalescer(send.SendAsync, TimeSpan.FromMinutes(5));
        var key = Hubs.Key("after-start");

        await coalescer.SignalAsync(key, CancellationToken.None);
        coalescer.RunStarting(key);
        await coalescer.SignalAsync(key, CancellationToken.None).WaitAsync(Timeout);
        send.Sent.Count.ShouldBe(2, "the running reconcile may have read the object before this change");
        // Other objects are never held by this one's pending signal.
        await coalescer.SignalAsync(Hubs.Key("other"), CancellationToken.None).WaitAsync(Timeout);
        send.Sent.Count.ShouldBe(3);
    }

    [Fact]
    public async Task Without_a_run_here_waiting_changes_share_one_fresh_signal_after_the_hold()
    {
        // The entity runs in another process: no run starts here, so the hold runs out and one signal, sent after
        // every waiter arrived, covers them all.
        var send = new RecordingSend();
        var coalescer = new SignalCoalescer(send.SendAsync, TimeSpan.FromMilliseconds(300));
        var key = Hubs.Key("remote");

        await coalescer.SignalAsync(key, CancellationToken.None);
        var waiters = Enumerable.Range(0, 10).Select(_ => coalescer.SignalAsync(key, CancellationToken.None)).ToList();
        await Task.WhenAll(waiters).WaitAsync(Timeout);
        send.Sent.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_failed_send_fails_its_caller_and_the_next_change_sends_afresh()
    {
        var send = new RecordingSend { Behaviour = _ => Task.FromException(new InvalidOperationException("storage down")) };
        var coalescer = new SignalCoalescer(send.SendAsync, TimeSpan.FromMinutes(5));
        var key = Hubs.Key("failing");

        await Should.ThrowAsync<InvalidOperationException>(() => coalescer.SignalAsync(key, CancellationToken.None));
        send.Behaviour = null;
        await coalescer.SignalAsync(key, CancellationToken.None).WaitAsync(Timeout);
        send.Sent.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_burst_of_100_changes_to_one_object_costs_few_signals_and_runs_and_the_last_run_sees_the_last_change()
    {
        var reconcile = new RecordingReconcile
        {
            // A reconcile takes a while, as a real one waits on the API server.
            Script = async (_, _) =>
            {
                await Task.Delay(50);
                return ReconcileOutcome.Done;
            },
        };
        await using var host = await Hubs.StartAsync(await Hubs.OptionsAsync(Hubs.NewHub()), reconcile);
        var coalescer = host.Coalescer.ShouldNotBeNull();
        host.Signals.ShouldBeSameAs(coalescer);
        var key = Hubs.Key("burst");

        // As the dispatcher does: many messages in flight at once, each acknowledged when its signal call returns.
        var changes = Enumerable.Range(0, 100).Select(async i =>
        {
            await Task.Delay(i * 5);
            reconcile.Bump(key);
            await host.Signals.SignalChangedAsync([key], CancellationToken.None);
        }).ToList();
        await Task.WhenAll(changes).WaitAsync(Timeout);

        await WaitFor.ConditionAsync(() => reconcile.Observed.GetValueOrDefault(key.DurableKey) == 100, Timeout, "a run that saw the last change");
        await WaitFor.ConditionAsync(async () => await host.Client.GetStateAsync(key) is { } s && s.Runs == reconcile.CallsOf(key)
            && coalescer.PendingCount == 0, Timeout, "the entity to settle");
        reconcile.MaxConcurrentPerObject.ShouldBe(1);
        coalescer.Sent.ShouldBeLessThan(30, "changes made while a signal was pending rode on it");
        reconcile.CallsOf(key).ShouldBeLessThan(30);
    }
}
