using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Queues;

namespace ServerlessCapi.Functions.Tests.Queues;

public class QueueTriggerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Messages_reach_the_function_with_their_metadata_and_are_deleted()
    {
        var (storage, prefix, recorder) = await Setup();
        await using var app = await TestApp.StartAsync(
            f => f.Queue<RecordString>("strings", "%StringsQueue%").Queue<RecordOrder>("orders", prefix + "-orders"),
            With(storage, prefix, ("StringsQueue", prefix + "-strings")),
            s => s.AddSingleton(recorder));
        var strings = await QueueAsync(app, prefix + "-strings");
        var orders = await QueueAsync(app, prefix + "-orders");

        var sent = new[] { (await strings.SendMessageAsync("hello")).Value, (await strings.SendMessageAsync("world")).Value };
        await orders.SendMessageAsync("""{"id":"o-1","quantity":3}""");
        await WaitFor.ConditionAsync(() => recorder.Count == 3, Timeout, "three messages processed");

        var calls = recorder.Of<QueueCall>();
        calls.Select(c => c.Body).Order().ShouldBe(["hello", "world"]);
        foreach (var call in calls)
        {
            call.Info.Id.ShouldBe(sent.Single(s => s.MessageId == call.Info.Id).MessageId);
            call.Info.DequeueCount.ShouldBe(1);
            call.Info.QueueName.ShouldBe(prefix + "-strings");
            call.Info.InsertionTime.ShouldNotBeNull();
        }
        recorder.Of<OrderCall>().Single().Order.ShouldBe(new Order("o-1", 3));
        await WaitFor.ConditionAsync(async () => await DepthAsync(strings) == 0 && await DepthAsync(orders) == 0, Timeout, "queues empty");
    }

    [Fact]
    public async Task At_most_batch_size_plus_new_batch_threshold_handlers_run_at_once()
    {
        var (storage, prefix, recorder) = await Setup();
        var gate = new Gate();
        var queue = new QueueClient(storage, prefix, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        await queue.CreateAsync();
        for (var i = 0; i < 20; i++) await queue.SendMessageAsync($"m{i}");

        await using var app = await TestApp.StartAsync(
            f => f.Queue<Gated>("gated", prefix),
            With(storage, prefix, ("AzureFunctionsJobHost:extensions:queues:batchSize", "4"),
                ("AzureFunctionsJobHost:extensions:queues:newBatchThreshold", "2")),
            s => s.AddSingleton(recorder).AddSingleton(gate));

        await WaitFor.ConditionAsync(() => recorder.Running == 4, Timeout, "the first batch running");
        gate.Release(2);
        // Two finished: 2 <= newBatchThreshold, so the next batch of 4 joins the 2 still running.
        await WaitFor.ConditionAsync(() => recorder.Running == 6, Timeout, "a second batch beside the first");
        gate.Release(100);
        await WaitFor.ConditionAsync(() => recorder.Count == 20, Timeout, "all messages processed");

        recorder.MaxRunning.ShouldBe(6);
        app.Get<QueueListenerHost>().Listener("gated").Stats.MaxRunning.ShouldBeLessThanOrEqualTo(6);
        recorder.Of<QueueCall>().Select(c => c.Body).Distinct().Count().ShouldBe(20);
    }

    [Fact]
    public async Task A_failing_message_moves_to_poison_after_exactly_maxDequeueCount_attempts()
    {
        var (storage, prefix, recorder) = await Setup();
        await using var app = await TestApp.StartAsync(
            f => f.Queue<AlwaysFails>("fails", prefix),
            With(storage, prefix, ("AzureFunctionsJobHost:extensions:queues:maxDequeueCount", "3")),
            s => s.AddSingleton(recorder));
        var queue = await QueueAsync(app, prefix);
        var poison = app.Get<StorageAccount>().Queue(QueueListener.PoisonQueueName(prefix));

        await queue.SendMessageAsync("bad news");
        await WaitFor.ConditionAsync(async () => await poison.ExistsAsync() && await DepthAsync(poison) == 1, Timeout, "the poison message");

        recorder.Of<QueueCall>().Select(c => c.Info.DequeueCount).ShouldBe([1L, 2L, 3L]);
        (await poison.PeekMessageAsync()).Value.MessageText.ShouldBe("bad news");
        await WaitFor.ConditionAsync(async () => await DepthAsync(queue) == 0, Timeout, "source queue empty");
        app.Get<QueueListenerHost>().Listener("fails").Stats.Poisoned.ShouldBe(1);
    }

    [Fact]
    public async Task A_message_that_is_not_base64_goes_to_poison_without_reaching_the_function()
    {
        var (storage, prefix, recorder) = await Setup();
        await using var app = await TestApp.StartAsync(
            f => f.Queue<RecordString>("strict", prefix),
            With(storage, prefix, ("AzureFunctionsJobHost:extensions:queues:maxDequeueCount", "2")),
            s => s.AddSingleton(recorder));
        var raw = new QueueClient(storage, prefix);
        await raw.CreateIfNotExistsAsync();
        await raw.SendMessageAsync("{not base64}");

        var poison = new QueueClient(storage, QueueListener.PoisonQueueName(prefix));
        await WaitFor.ConditionAsync(async () => await poison.ExistsAsync() && await DepthAsync(poison) == 1, Timeout, "the poison message");
        (await poison.PeekMessageAsync()).Value.MessageText.ShouldBe("{not base64}");
        recorder.Count.ShouldBe(0);
    }

    [Fact]
    public async Task A_long_handler_keeps_its_message_invisible_by_renewing_it()
    {
        var (storage, prefix, recorder) = await Setup();
        var gate = new Gate();
        await using var app = await TestApp.StartAsync(
            f => f.Queue<LongRunning>("long", prefix),
            With(storage, prefix, ("FunctionApp:QueueMessageLease", "00:00:02")),
            s => s.AddSingleton(recorder).AddSingleton(gate));
        var queue = await QueueAsync(app, prefix);
        var stats = app.Get<QueueListenerHost>().Listener("long").Stats;

        await queue.SendMessageAsync("slow");
        // Four renewals at one per second outlast the 2 s lease twice over; without them the listener,
        // polling every 0.5 s with free slots, would have run the message a second time.
        await WaitFor.ConditionAsync(() => stats.VisibilityRenewals >= 4 || recorder.Count > 1, Timeout, "renewals");
        recorder.Count.ShouldBe(1);

        gate.Release(1);
        await WaitFor.ConditionAsync(async () => await DepthAsync(queue) == 0, Timeout, "the message deleted");
        recorder.Count.ShouldBe(1);
        stats.Poisoned.ShouldBe(0);
    }

    [Fact]
    public async Task Polling_backs_off_to_maxPollingInterval_while_empty_and_resets_on_a_message()
    {
        var (storage, prefix, recorder) = await Setup();
        await using var app = await TestApp.StartAsync(
            f => f.Queue<RecordString>("idle", prefix),
            With(storage, prefix, ("AzureFunctionsJobHost:extensions:queues:maxPollingInterval", "00:00:00.400")),
            s => s.AddSingleton(recorder));
        var queue = await QueueAsync(app, prefix);
        var stats = app.Get<QueueListenerHost>().Listener("idle").Stats;

        await WaitFor.ConditionAsync(() => stats.CurrentDelay == TimeSpan.FromMilliseconds(400), Timeout, "backed off to the maximum");
        var resets = stats.BackoffResets;
        await queue.SendMessageAsync("wake up");

        await WaitFor.ConditionAsync(() => recorder.Count == 1, Timeout, "the message processed");
        await WaitFor.ConditionAsync(() => stats.BackoffResets > resets, Timeout, "the backoff reset");
    }

    private static async Task<(string Storage, string Prefix, Recorder Recorder)> Setup() =>
        (await TestApp.StorageAsync(), TestNames.Unique("q"), new Recorder());

    private static Dictionary<string, string?> With(string storage, string prefix, params (string Key, string Value)[] extra)
    {
        var settings = TestApp.DefaultSettings(storage, prefix);
        foreach (var (key, value) in extra) settings[key] = value;
        return settings;
    }

    private static async Task<QueueClient> QueueAsync(TestApp app, string name)
    {
        var queue = app.Get<StorageAccount>().Queue(name);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    private static async Task<int> DepthAsync(QueueClient queue) => (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
}
