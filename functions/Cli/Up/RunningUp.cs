using System.Diagnostics;
using System.Text.Json;
using ServerlessCapi.Local;

namespace ServerlessCapi.Cli.Up;

/// <summary>What a running <c>scapi up</c> tells the other commands (where its management cluster is), kept in a
/// file under <c>.scapi/running</c> of the checkout while it runs. A record whose process is gone (killed, or its id
/// reused by another process since) is ignored and removed.</summary>
internal sealed record RunningUp(int ProcessId, DateTimeOffset ProcessStarted, string StateDir, string Kubeconfig, string AppUrl)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static string Folder => Path.Combine(RepoPaths.Root, ".scapi", "running");

    /// <summary>This process's record, with the start time that tells it from a later process given the same id.</summary>
    public static RunningUp ForThisProcess(string stateDir, string kubeconfig, string appUrl)
    {
        using var self = Process.GetCurrentProcess();
        return new RunningUp(Environment.ProcessId, self.StartTime.ToUniversalTime(), stateDir, kubeconfig, appUrl);
    }

    /// <summary>Writes the record (in <paramref name="folder"/>, default <see cref="Folder"/>); disposing the result removes it.</summary>
    public IDisposable Register(string? folder = null)
    {
        folder ??= Folder;
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"up-{ProcessId}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(this, Indented));
        return new Removal(file);
    }

    /// <summary>The records of <c>scapi up</c> processes alive now whose kubeconfig exists.</summary>
    public static IReadOnlyList<RunningUp> Find()
    {
        if (!Directory.Exists(Folder)) return [];
        var alive = new List<RunningUp>();
        foreach (var file in Directory.GetFiles(Folder, "up-*.json").Order(StringComparer.Ordinal))
        {
            RunningUp? record;
            try
            {
                record = JsonSerializer.Deserialize<RunningUp>(File.ReadAllText(file));
            }
            catch (Exception e) when (e is JsonException or IOException)
            {
                continue; // Being written or removed right now: not a run to use.
            }
            if (record is not null && record.IsAlive() && File.Exists(record.Kubeconfig)) alive.Add(record);
            else if (record is not null && !record.IsAlive()) TryDelete(file);
        }
        return alive;
    }

    private bool IsAlive()
    {
        try
        {
            using var process = Process.GetProcessById(ProcessId);
            // Start times round-trip through JSON with sub-second precision loss on some systems.
            return Math.Abs((process.StartTime.ToUniversalTime() - ProcessStarted.UtcDateTime).TotalSeconds) < 1;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (IOException)
        {
            // Another command cleaned it up first.
        }
    }

    private sealed class Removal(string file) : IDisposable
    {
        public void Dispose() => TryDelete(file);
    }
}
