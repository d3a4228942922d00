using ServerlessCapi.Local;

namespace ServerlessCapi.Testing;

/// <summary>One Azurite per test process, started on first use and stopped when the process exits.</summary>
/// <remarks>Tests isolate themselves with <see cref="TestNames"/> prefixes instead of fresh emulators.</remarks>
public static class SharedAzurite
{
    private static readonly Lazy<Task<AzuriteProcess>> Instance = new(StartAsync);

    public static Task<AzuriteProcess> GetAsync() => Instance.Value;

    public static async Task<string> ConnectionStringAsync() => (await GetAsync()).ConnectionString;

    private static async Task<AzuriteProcess> StartAsync()
    {
        var azurite = await AzuriteProcess.StartAsync();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.Kill();
        return azurite;
    }
}
