using System.Runtime.InteropServices;

namespace ServerlessCapi.Local;

/// <summary>The one POSIX call .NET lacks: a graceful SIGTERM to another process.</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
