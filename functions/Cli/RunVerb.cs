using System.CommandLine;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using ServerlessCapi.Functions;
using ServerlessCapi.Functions.Hosting;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi run</c>: hosts the function app standalone: queue, timer and HTTP triggers and the durable task
/// hub worker in one process (run several against one storage account to scale out).</summary>
internal static class RunVerb
{
    public static Command Create()
    {
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Kubeconfig of the management cluster (setting 'Kubeconfig')." };
        // Prefer the setting (environment variable AzureWebJobsStorage): a command line is readable by every local user.
        var storage = new Option<string?>("--storage") { Description = "Storage connection string (default: the setting 'AzureWebJobsStorage', the safer way to pass it)." };
        var settings = new Option<string?>("--settings") { Description = "local.settings.json to read (default: ./local.settings.json if present)." };
        var hostJson = new Option<string?>("--host-json") { Description = "host.json to read (default: ./host.json, else beside the binary)." };
        var urls = new Option<string?>("--urls") { Description = "Standalone listen URLs, ';'-separated (default http://localhost:7071)." };
        var port = new Option<int?>("--port") { Description = "Standalone: listen on http://0.0.0.0:PORT (shorthand for --urls)." };
        var cmd = new Command("run", "Host the function app (queue, timer and HTTP triggers).")
        {
            kubeconfig, storage, settings, hostJson, urls, port,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            var overrides = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
            if (parse.GetValue(kubeconfig) is { Length: > 0 } k) overrides["Kubeconfig"] = Path.GetFullPath(k);
            if (parse.GetValue(storage) is { Length: > 0 } s) overrides[StorageAccount.ConnectionSetting] = s;
            var app = FunctionApp.Build(
                new FunctionAppSettings
                {
                    LocalSettingsPath = parse.GetValue(settings),
                    HostJsonPath = parse.GetValue(hostJson),
                    Defaults = AppFunctions.DefaultSettings,
                    Overrides = overrides,
                    Urls = parse.GetValue(port) is { } p
                        ? [$"http://0.0.0.0:{p.ToString(System.Globalization.CultureInfo.InvariantCulture)}"]
                        : parse.GetValue(urls)?.Split(';', StringSplitOptions.RemoveEmptyEntries),
                },
                AppFunctions.Register,
                AppFunctions.AddServices);
            await using (app)
            {
                await app.StartAsync(ct);
                // Ctrl-C cancels ct (the command line) or stops the host (ASP.NET); either ends the wait.
                await app.WaitForShutdownAsync(ct);
                await app.StopAsync(CancellationToken.None);
            }
            return 0;
        });
        return cmd;
    }
}
