namespace ServerlessCapi.ApiServerBench;

/// <summary>Managed heap after a full, compacting collection, and the process's resident set.</summary>
internal static class Memory
{
    public static long HeapAfterFullGc()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: false);
    }

    public static long Rss()
    {
        using var p = System.Diagnostics.Process.GetCurrentProcess();
        p.Refresh();
        return p.WorkingSet64;
    }
}
