using System.Runtime.InteropServices;

namespace ServerlessCapi.Local;

/// <summary>The one POSIX call .NET lacks: signals to another process (SIGTERM, SIGSTOP, SIGCONT).</summary>
internal static partial class Posix
{
    public const int SigTerm = 15;
    public const int SigStop = 19;
    public const int SigCont = 18;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);
}
