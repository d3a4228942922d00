using ServerlessCapi.Local;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Integration.Tests;

public class ChildProcessTests
{
    private const string Script =
        "console.log('started ' + process.env.SCAPI_PARENT_PID);" +
        "process.on('SIGTERM', () => { console.log('graceful'); process.exit(0); });" +
        "setInterval(() => {}, 1000);";

    [Fact]
    public async Task Child_knows_its_parent_stops_gracefully_on_sigterm_and_can_be_restarted_after_a_kill()
    {
        var log = Path.Combine(Path.GetTempPath(), TestNames.Unique("child") + ".log");
        await using var child = new ChildProcess(new ChildProcessSpec("sleeper", "node", ["-e", Script], log));
        var exits = 0;
        child.Exited += (_, _) => Interlocked.Increment(ref exits);

        child.Start();
        await WaitFor.ConditionAsync(() => child.Tail().Contains("started " + Environment.ProcessId, StringComparison.Ordinal),
            TimeSpan.FromSeconds(20), "the child's first line");

        child.Kill();
        await WaitFor.ConditionAsync(() => !child.IsRunning && Volatile.Read(ref exits) == 1, TimeSpan.FromSeconds(20), "the kill");
        child.Tail().ShouldNotContain("graceful");

        child.Start();
        child.Restarts.ShouldBe(1);
        await WaitFor.ConditionAsync(() => child.Tail().Split('\n').Count(l => l.StartsWith("started", StringComparison.Ordinal)) == 2,
            TimeSpan.FromSeconds(20), "the restart");

        await child.StopAsync(TimeSpan.FromSeconds(20));
        child.IsRunning.ShouldBeFalse();
        child.Tail().ShouldContain("graceful");
        (await File.ReadAllTextAsync(log)).ShouldContain("graceful");
    }
}
