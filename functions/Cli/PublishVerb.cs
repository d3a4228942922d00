using System.CommandLine;
using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json.Nodes;
using ServerlessCapi.Local;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi publish</c>: the isolated-worker Azure Functions app (<c>functions/FunctionApp</c>), published
/// framework-dependent (the platform provides the .NET runtime) and ready for a zip deployment.</summary>
internal static class PublishVerb
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder for the published app.", DefaultValueFactory = _ => Path.Combine("artifacts", "functionapp") };
        var zip = new Option<string?>("--zip") { Description = "Also write a zip for 'az functionapp deployment source config-zip'." };
        var configuration = new Option<string>("--configuration") { Description = "Build configuration.", DefaultValueFactory = _ => "Release" };
        var cmd = new Command("publish", "Publish the Azure Functions app (isolated worker).") { output, zip, configuration };
        cmd.SetAction(async (p, ct) =>
        {
            var dir = Path.GetFullPath(p.GetValue(output)!);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false };
            foreach (var a in new[]
                     {
                         "publish", Path.Combine(RepoPaths.Root, "functions", "FunctionApp", "FunctionApp.csproj"),
                         "-c", p.GetValue(configuration)!, "-o", dir, "-nologo", "-v", "q", "-clp:ErrorsOnly",
                     })
                psi.ArgumentList.Add(a);
            using (var publish = Process.Start(psi)!)
            {
                await publish.WaitForExitAsync(ct);
                if (publish.ExitCode != 0)
                {
                    await Console.Error.WriteLineAsync($"scapi publish: dotnet publish failed ({publish.ExitCode})");
                    return publish.ExitCode;
                }
            }
            // The Functions host indexes what the build generated; an app without it would start with no functions.
            var metadata = Path.Combine(dir, "functions.metadata");
            if (!File.Exists(metadata) || !File.Exists(Path.Combine(dir, "host.json")))
            {
                await Console.Error.WriteLineAsync($"scapi publish: {dir} has no functions.metadata or host.json");
                return 1;
            }
            var functions = JsonNode.Parse(await File.ReadAllTextAsync(metadata, ct))!.AsArray()
                .Select(f => (string)f!["name"]!).Order(StringComparer.Ordinal).ToList();
            Console.WriteLine($"Function app in {dir}: {functions.Count} functions ({string.Join(", ", functions)})");
            if (p.GetValue(zip) is { Length: > 0 } file)
            {
                var zipPath = Path.GetFullPath(file);
                if (File.Exists(zipPath)) File.Delete(zipPath);
                Directory.CreateDirectory(Path.GetDirectoryName(zipPath)!);
                // host.json at the zip's root, as a zip deployment expects.
                await ZipFile.CreateFromDirectoryAsync(dir, zipPath, CompressionLevel.Optimal, includeBaseDirectory: false, ct);
                Console.WriteLine($"Zip: {zipPath}");
            }
            return 0;
        });
        return cmd;
    }
}
