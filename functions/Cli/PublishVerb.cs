using System.CommandLine;
using System.Diagnostics;
using ServerlessCapi.Functions.Packaging;
using ServerlessCapi.Local;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi publish</c>: the app as an Azure Functions custom-handler package (self-contained, so the
/// platform needs no .NET runtime), ready for a zip deployment.</summary>
internal static class PublishVerb
{
    public static Command Create()
    {
        var output = new Option<string>("--output") { Description = "Folder for the laid-out app.", DefaultValueFactory = _ => Path.Combine("artifacts", "functionapp") };
        var zip = new Option<string?>("--zip") { Description = "Also write a zip for 'az functionapp deployment source config-zip'." };
        var runtime = new Option<string>("--runtime") { Description = "Target runtime identifier.", DefaultValueFactory = _ => "linux-x64" };
        var cmd = new Command("publish", "Build the function app package for Azure Functions (custom handler).") { output, zip, runtime };
        cmd.SetAction(async (p, ct) =>
        {
            var dir = Path.GetFullPath(p.GetValue(output)!);
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false };
            foreach (var a in new[]
                     {
                         "publish", Path.Combine(RepoPaths.Root, "functions", "Cli", "Cli.csproj"), "-c", "Release",
                         "-r", p.GetValue(runtime)!, "--self-contained", "-o", dir, "-nologo", "-v", "q",
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
            var functions = FunctionAppPackage.Lay(RepoPaths.Root, dir);
            Console.WriteLine($"Function app in {dir}: {functions.Count} functions ({string.Join(", ", functions)})");
            if (p.GetValue(zip) is { Length: > 0 } file)
            {
                FunctionAppPackage.Zip(dir, Path.GetFullPath(file));
                Console.WriteLine($"Zip: {Path.GetFullPath(file)}");
            }
            return 0;
        });
        return cmd;
    }
}
