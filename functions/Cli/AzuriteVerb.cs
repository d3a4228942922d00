using System.CommandLine;
using ServerlessCapi.Local;

namespace ServerlessCapi.Cli;

/// <summary><c>scapi azurite</c>: runs the storage emulator alone and prints its connection string.</summary>
internal static class AzuriteVerb
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Folder for persistent data (default: in memory)." };
        var blobPort = new Option<int>("--blob-port") { Description = "Blob port (0 = free port).", DefaultValueFactory = _ => 0 };
        var queuePort = new Option<int>("--queue-port") { Description = "Queue port (0 = free port).", DefaultValueFactory = _ => 0 };
        var tablePort = new Option<int>("--table-port") { Description = "Table port (0 = free port).", DefaultValueFactory = _ => 0 };
        var cmd = new Command("azurite", "Run the Azure Storage emulator and print its connection string.")
        {
            data, blobPort, queuePort, tablePort,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            await using var azurite = await AzuriteProcess.StartAsync(
                new AzuriteOptions(parse.GetValue(data), parse.GetValue(blobPort), parse.GetValue(queuePort), parse.GetValue(tablePort)), ct);
            Console.WriteLine(azurite.ConnectionString);
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            catch (OperationCanceledException)
            {
                // Ctrl-C: dispose stops the emulator.
            }
            return 0;
        });
        return cmd;
    }
}
