using Microsoft.Extensions.DependencyInjection;
using ServerlessCapi.Functions.Hosting;
using ServerlessCapi.Functions.Timers;

namespace ServerlessCapi.Functions.Tests.Timers;

public class TimerTriggerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_per_second_schedule_from_a_setting_fires_once_per_occurrence()
    {
        var (storage, prefix, recorder) = await Setup();
        var settings = TestApp.DefaultSettings(storage, prefix);
        settings["TickSchedule"] = "* * * * * *";
        await using var app = await StartAsync("a", settings, recorder, f => f.Timer<Tick>("tick", "%TickSchedule%"));

        await WaitFor.ConditionAsync(() => recorder.Count >= 4, Timeout, "four runs");

        var runs = recorder.Of<TimerCall>();
        runs.ShouldAllBe(r => !r.Info.IsPastDue);
        // Each run names the occurrence before it as Last: whole seconds, strictly increasing.
        var previous = runs.Skip(1).Select(r => r.Info.ScheduleStatus!.Last).ToList();
        previous.ShouldAllBe(t => t.Millisecond == 0);
        previous.ShouldBe(previous.Order().Distinct().ToList());
        runs.ShouldAllBe(r => r.Info.ScheduleStatus!.Next > r.Info.ScheduleStatus.Last);
    }

    [Fact]
    public async Task Two_instances_run_each_occurrence_once_and_the_standby_takes_over()
    {
        var (storage, prefix, recorder) = await Setup();
        var settings = TestApp.DefaultSettings(storage, prefix);
        await using var a = await StartAsync("a", settings, recorder, f => f.Timer<Tick>("tick", "* * * * * *"));
        await using var b = await StartAsync("b", settings, recorder, f => f.Timer<Tick>("tick", "* * * * * *"));

        await WaitFor.ConditionAsync(() => recorder.Count >= 4, Timeout, "four runs");
        var first = recorder.Of<TimerCall>()[0].Instance;
        recorder.Of<TimerCall>().ShouldAllBe(r => r.Instance == first);

        var (active, standby) = first == "a" ? (a, b) : (b, a);
        await active.DisposeAsync();
        var before = recorder.Count;
        await WaitFor.ConditionAsync(() => recorder.Of<TimerCall>().Count(r => r.Instance != first) >= 3, Timeout, "the standby running");

        var runs = recorder.Of<TimerCall>();
        // A second run of one occurrence would report the same previous occurrence.
        var previous = runs.Where(r => r.Info.ScheduleStatus!.Last != DateTimeOffset.MinValue).Select(r => r.Info.ScheduleStatus!.Last).ToList();
        previous.Distinct().Count().ShouldBe(previous.Count);
        runs.Skip(before).ShouldAllBe(r => r.Instance != first);
        standby.Get<TimerScheduler>().Runners.Single().IsLeader.ShouldBeTrue();
    }

    [Fact]
    public async Task Occurrences_missed_during_downtime_are_caught_up_by_one_past_due_run()
    {
        var (storage, prefix, recorder) = await Setup();
        var settings = TestApp.DefaultSettings(storage, prefix);
        var store = new TimerStatusStore(new StorageAccountClient(storage).Container(prefix + "-timers"));
        await new StorageAccountClient(storage).Container(prefix + "-timers").CreateIfNotExistsAsync();
        var now = DateTimeOffset.UtcNow;
        // Yearly schedule, last run three years ago: two New Year occurrences were missed.
        var missed = new DateTimeOffset(now.Year - 2, 1, 1, 0, 0, 0, TimeSpan.Zero);
        (await store.TryWriteAsync("yearly", new TimerStatus(missed.AddYears(-1), missed, missed.AddYears(-1)), null, default)).ShouldNotBeNull();

        await using var app = await StartAsync("a", settings, recorder, f => f.Timer<Tick>("yearly", "0 0 0 1 1 *"));
        await WaitFor.ConditionAsync(async () => (await store.ReadAsync("yearly", default)).Status is { Running: null } s && s.Last == missed,
            Timeout, "the catch-up run recorded");

        var run = recorder.Of<TimerCall>().ShouldHaveSingleItem();
        run.Info.IsPastDue.ShouldBeTrue();
        run.Info.ScheduleStatus!.Last.ShouldBe(missed.AddYears(-1));
        var (status, _) = await store.ReadAsync("yearly", default);
        status!.Next.ShouldBeGreaterThan(now);
    }

    [Fact]
    public async Task RunOnStartup_runs_once_when_the_instance_starts()
    {
        var (storage, prefix, recorder) = await Setup();
        var settings = TestApp.DefaultSettings(storage, prefix);
        var store = new TimerStatusStore(new StorageAccountClient(storage).Container(prefix + "-timers"));
        await using var app = await StartAsync("a", settings, recorder, f => f.Timer<Tick>("boot", "0 0 0 1 1 *", runOnStartup: true));

        await WaitFor.ConditionAsync(async () => (await store.ReadAsync("boot", default)).Status is { Running: null, Last: not null },
            Timeout, "the startup run recorded");
        var run = recorder.Of<TimerCall>().ShouldHaveSingleItem();
        run.Info.IsPastDue.ShouldBeFalse();
    }

    private static async Task<TestApp> StartAsync(
        string instance, Dictionary<string, string?> settings, Recorder recorder, Action<ServerlessCapi.Functions.Registration.FunctionsBuilder> functions) =>
        await TestApp.StartAsync(functions, settings, s => s.AddSingleton(recorder).AddSingleton(new InstanceTag(instance)));

    private static async Task<(string Storage, string Prefix, Recorder Recorder)> Setup() =>
        (await TestApp.StorageAsync(), TestNames.Unique("t"), new Recorder());

    /// <summary>Blob access outside any app.</summary>
    private sealed class StorageAccountClient(string connectionString)
    {
        public Azure.Storage.Blobs.BlobContainerClient Container(string name) => new(connectionString, name);
    }
}
