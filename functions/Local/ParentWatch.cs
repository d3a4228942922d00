using System.Globalization;

namespace ServerlessCapi.Local;

/// <summary>Ends this process when the process that started it is gone.</summary>
/// <remarks>
/// Child processes of <c>scapi up</c>, the benchmarks and the chaos run get their parent's pid in
/// <see cref="EnvironmentVariable"/>. A parent killed with SIGKILL cannot stop its children, so each
/// child watches for itself and leaves no orphan behind.
/// </remarks>
public static class ParentWatch
{
    public const string EnvironmentVariable = "SCAPI_PARENT_PID";

    /// <summary>Starts watching when the environment names a parent; no-op otherwise.</summary>
    public static void StartFromEnvironment(Action? onParentGone = null)
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(EnvironmentVariable), NumberStyles.None,
                CultureInfo.InvariantCulture, out var pid) || pid <= 0)
            return;
        var thread = new Thread(() => Watch(pid, onParentGone)) { IsBackground = true, Name = "parent-watch" };
        thread.Start();
    }

    private static void Watch(int pid, Action? onParentGone)
    {
        while (IsAlive(pid))
            Thread.Sleep(TimeSpan.FromSeconds(1));
        onParentGone?.Invoke();
        Environment.Exit(0);
    }

    private static bool IsAlive(int pid)
    {
        try
        {
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            return !p.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
