namespace ServerlessCapi.Api.Tests;

/// <summary>Paths of checked-in files the tests read.</summary>
internal static class TestFiles
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ServerlessCapi.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("Cannot find the repository root (ServerlessCapi.sln) above the test binaries.");
    });

    public static string RepoRoot => RootPath.Value;

    public static string Sample(string name) => Path.Combine(RepoRoot, "samples", name);

    public static string CrdDirectory => Path.Combine(RepoRoot, "infra", "crds");

    public static string Manifest(string name) => Path.Combine(AppContext.BaseDirectory, "Manifests", name);
}
