using System.Diagnostics;
using System.Text.Json.Nodes;

namespace ServerlessCapi.Integration.Tests;

/// <summary>Small runs of <c>scapi bench scale</c> and <c>scapi chaos</c> through the CLI: their results, not their
/// times, are asserted.</summary>
public sealed class FleetSmokeTests
{
    private static async Task<(int Code, JsonObject? Result, string Err)> RunCliAsync(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ServerlessCapi.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
        await p.WaitForExitAsync(timeout.Token);
        var last = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        return (p.ExitCode, last is null ? null : JsonNode.Parse(last) as JsonObject, await stderr);
    }

    [Fact]
    public async Task Bench_scale_runs_a_small_fleet_up_and_away_and_counts_what_it_cost()
    {
        var (code, result, err) = await RunCliAsync("bench", "scale", "--clusters", "2", "--workers", "1", "--cp", "1", "--idle", "0s", "--timeout", "4m");

        result.ShouldNotBeNull(err);
        code.ShouldBe(0, err);
        result["machines"]!.GetValue<int>().ShouldBe(4);
        result["healthChecks"]!.GetValue<bool>().ShouldBeFalse();
        result["allRunning"]!.GetValue<bool>().ShouldBeTrue();
        result["allDeleted"]!.GetValue<bool>().ShouldBeTrue();
        result["storageRequestsPerMachineLifecycle"]!.GetValue<double>().ShouldBeGreaterThan(0);
        result["apiRequestsPerMachineLifecycle"]!["patch"]!.GetValue<double>().ShouldBeGreaterThan(0);
        result["peakRssMiB"]!.AsObject().Select(p => p.Key).ShouldContain("app-1");
    }

    [Fact]
    public async Task Chaos_kills_app_processes_and_every_invariant_holds_afterwards()
    {
        var (code, result, err) = await RunCliAsync("chaos", "--clusters", "2", "--workers", "1", "--cp", "1", "--kills", "2", "--instances", "2",
            "--timeout", "4m");

        result.ShouldNotBeNull(err);
        result["faults"]!.GetValue<int>().ShouldBe(2);
        result["invariants"]!.AsObject().Where(p => p.Value!.GetValue<bool>() is false).Select(p => p.Key).ShouldBeEmpty();
        code.ShouldBe(0);
    }
}
