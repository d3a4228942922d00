using System.Diagnostics;
using ServerlessCapi.Kube.Access;
using Spectre.Console;

namespace ServerlessCapi.Cli.Up;

/// <summary>Shows machines per phase until the fleet is ready: a live table on a terminal, plain lines otherwise.</summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    /// <summary>The ready snapshot, or null on timeout.</summary>
    public static async Task<FleetSnapshot?> WaitUntilReadyAsync(KubeApi kube, bool live, TimeSpan timeout, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        if (!live)
        {
            string? last = null;
            while (clock.Elapsed < timeout)
            {
                var snap = await FleetSnapshot.ReadAsync(kube, null, ct);
                var line = snap.ToLine();
                if (line != last) Console.WriteLine($"[{clock.Elapsed.TotalSeconds,5:0.0}s] {line}");
                last = line;
                if (snap.AllReady) return snap;
                await Task.Delay(Interval, ct);
            }
            return null;
        }

        FleetSnapshot? result = null;
        var table = new Table().Border(TableBorder.Rounded).AddColumn("Phase").AddColumn("Machines").AddColumn(new TableColumn("").Width(40));
        await AnsiConsole.Live(table).StartAsync(async ctx =>
        {
            while (clock.Elapsed < timeout)
            {
                var snap = await FleetSnapshot.ReadAsync(kube, null, ct);
                table.Rows.Clear();
                foreach (var phase in FleetSnapshot.MachinePhaseOrder)
                {
                    var n = snap.MachinesIn(phase);
                    if (n == 0 && phase is not ("Pending" or "Provisioning" or "Provisioned" or "Running")) continue;
                    var bar = snap.Machines == 0 ? "" : new string('█', (int)Math.Round(40.0 * n / snap.Machines));
                    table.AddRow(phase, n.ToString(System.Globalization.CultureInfo.InvariantCulture), $"[green]{bar}[/]");
                }
                table.Caption($"{clock.Elapsed.TotalSeconds:0.0}s · clusters {snap.ClustersIn("Provisioned")}/{snap.Clusters} provisioned");
                ctx.Refresh();
                if (snap.AllReady)
                {
                    result = snap;
                    return;
                }
                await Task.Delay(Interval, ct);
            }
        });
        return result;
    }
}
