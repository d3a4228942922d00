using ServerlessCapi.Cli.Up;

namespace ServerlessCapi.Cli.Describe;

/// <summary>Which management cluster a command talks to when it is not told: <c>--kubeconfig</c>, else
/// <c>$KUBECONFIG</c>, else the running <c>scapi up</c>'s. Anything else is an error that names these choices.</summary>
internal static class KubeconfigLocator
{
    /// <summary>The kubeconfig found and where it came from (for a hint line), or why none was.</summary>
    internal sealed record Result(string? Path, string? Source, string? Error);

    public static Result Locate(string? explicitPath, string? kubeconfigVariable, IReadOnlyList<RunningUp> running)
    {
        if (!string.IsNullOrEmpty(explicitPath))
        {
            return File.Exists(explicitPath)
                ? new Result(explicitPath, null, null)
                : new Result(null, null, $"no kubeconfig at {explicitPath} (--kubeconfig)");
        }
        if (!string.IsNullOrEmpty(kubeconfigVariable))
        {
            // kubectl merges the files of the list; the first that exists is the one a single-cluster tool means.
            var entries = kubeconfigVariable.Split(System.IO.Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
            return entries.FirstOrDefault(File.Exists) is { } fromVariable
                ? new Result(fromVariable, null, null)
                : new Result(null, null, $"KUBECONFIG names no existing file ({kubeconfigVariable}); fix it, unset it, or pass --kubeconfig");
        }
        return running.Count switch
        {
            1 => new Result(running[0].Kubeconfig, $"the running ./scapi up (process {running[0].ProcessId})", null),
            > 1 => new Result(null, null,
                "several ./scapi up are running; pass --kubeconfig with one of: " +
                string.Join(", ", running.Select(r => $"{r.Kubeconfig} (process {r.ProcessId})"))),
            _ => new Result(null, null,
                "no management cluster: pass --kubeconfig PATH, set KUBECONFIG, or start one with ./scapi up (in another terminal)"),
        };
    }
}
