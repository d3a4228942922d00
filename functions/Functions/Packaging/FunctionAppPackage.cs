using System.IO.Compression;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Functions.Packaging;

/// <summary>
/// Lays out an Azure Functions custom-handler app: the published binaries at the root, <c>host.json</c> beside
/// them, and one folder per function with its <c>function.json</c> — the shape the Functions host loads from
/// <c>/home/site/wwwroot</c> — and zips it for a zip deployment.
/// </summary>
public static class FunctionAppPackage
{
    /// <summary>Copies <c>host.json</c> and <c>infra/functions/*/function.json</c> from the repository into
    /// <paramref name="publishDir"/> (which already holds the published binaries) and checks the result.</summary>
    /// <returns>The function names laid out.</returns>
    public static IReadOnlyList<string> Lay(string repoRoot, string publishDir)
    {
        var hostJson = Path.Combine(repoRoot, "host.json");
        File.Copy(hostJson, Path.Combine(publishDir, "host.json"), overwrite: true);
        var names = new List<string>();
        foreach (var folder in Directory.GetDirectories(Path.Combine(repoRoot, "infra", "functions")).Order(StringComparer.Ordinal))
        {
            var source = Path.Combine(folder, "function.json");
            if (!File.Exists(source)) continue;
            var name = Path.GetFileName(folder);
            Directory.CreateDirectory(Path.Combine(publishDir, name));
            File.Copy(source, Path.Combine(publishDir, name, "function.json"), overwrite: true);
            names.Add(name);
        }
        // Local settings hold local secrets; the platform's app settings replace them.
        File.Delete(Path.Combine(publishDir, "local.settings.json"));
        Check(publishDir);
        return names;
    }

    /// <summary>Fails when the layout would not start: no executable named by host.json's
    /// <c>customHandler.description.defaultExecutablePath</c>, or no function folder.</summary>
    public static void Check(string publishDir)
    {
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(publishDir, "host.json")))
                   ?? throw new InvalidDataException("host.json is empty");
        var executable = host["customHandler"]?["description"]?["defaultExecutablePath"]?.GetValue<string>()
                         ?? throw new InvalidDataException("host.json has no customHandler.description.defaultExecutablePath");
        var path = Path.Combine(publishDir, executable);
        if (!File.Exists(path))
            throw new InvalidDataException($"host.json starts '{executable}', which the package does not contain");
        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) == 0)
            throw new InvalidDataException($"'{executable}' is not executable");
        if (host["extensionBundle"] is null)
            throw new InvalidDataException("host.json has no extensionBundle (queue and timer triggers come from it)");
        if (!Directory.GetDirectories(publishDir).Any(d => File.Exists(Path.Combine(d, "function.json"))))
            throw new InvalidDataException("the package has no function folders");
    }

    /// <summary>Zips the laid-out folder (file modes are kept, so the handler stays executable).</summary>
    public static void Zip(string publishDir, string zipFile)
    {
        File.Delete(zipFile);
        ZipFile.CreateFromDirectory(publishDir, zipFile, CompressionLevel.Optimal, includeBaseDirectory: false);
    }
}
