using System.CommandLine;
using System.Runtime.InteropServices;
using ServerlessCapi.EmbeddedApiServer;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi apiserver</c>: runs the embedded Kubernetes API server alone and writes its kubeconfig.</summary>
internal static class ApiServerVerb
{
    public static Command Create()
    {
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "Where to write the kubeconfig.", Required = true };
        var port = new Option<int>("--port") { Description = "Loopback port (0 = free port).", DefaultValueFactory = _ => 0 };
        var data = new Option<string?>("--data") { Description = "Snapshot file to load at start and keep written (default: in memory)." };
        var cmd = new Command("apiserver", "Run the embedded Kubernetes API server and write a kubeconfig for it.") { kubeconfig, port, data };
        cmd.SetAction(async (parse, ct) =>
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // SIGTERM (containers, supervisors) stops as gracefully as Ctrl-C: the snapshot is written on the way out.
            void Stop(PosixSignalContext ctx)
            {
                ctx.Cancel = true;
                stop.Cancel();
            }
            using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            // Started by `scapi up`, a benchmark or a chaos run: end with it, even when it was killed outright.
            Local.ParentWatch.StartFromEnvironment();
            await using var server = await EmbeddedApiServer.EmbeddedApiServer.StartAsync(
                new EmbeddedApiServerOptions { Port = parse.GetValue(port), DataFile = parse.GetValue(data) }, ct);
            var path = Path.GetFullPath(parse.GetValue(kubeconfig)!);
            server.WriteKubeconfig(path);
            Console.WriteLine($"API server listening on {server.Url}");
            Console.WriteLine($"kubeconfig written to {path}");
            Console.WriteLine($"try: kubectl --kubeconfig {path} api-resources");
            try
            {
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C or SIGTERM: dispose stops the server and writes the last snapshot.
            }
            Console.WriteLine("API server stopped.");
            return 0;
        });
        return cmd;
    }
}
