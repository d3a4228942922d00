namespace ServerlessCapi.Local;

/// <summary>Finds the repository checkout the binaries run from (for node_modules and samples).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The repository root: <c>SCAPI_ROOT</c>, else the first folder above the binaries or
    /// the working directory that holds <c>scripts/azurite.cjs</c>.</summary>
    public static string Root => RootPath.Value;

    public static string AzuriteLauncher => Path.Combine(Root, "scripts", "azurite.cjs");

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("SCAPI_ROOT") is { Length: > 0 } fromEnv)
            return Path.GetFullPath(fromEnv);
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "scripts", "azurite.cjs")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException(
            "Cannot find the ServerlessCapi checkout (scripts/azurite.cjs). Run from the repository or set SCAPI_ROOT.");
    }
}
