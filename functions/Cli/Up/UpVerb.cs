using System.CommandLine;
using System.Diagnostics;
using ServerlessCapi.Functions.Observability;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using Spectre.Console;

namespace ServerlessCapi.Cli.Up;

/// <summary><c>scapi up</c>: the whole product locally on embedded defaults, with a sample cluster.</summary>
internal static class UpVerb
{
    /// <summary>The sample applied when none is given.</summary>
    internal const string DefaultSample = "samples/quickstart.yaml";

    public static Command Create()
    {
        var sample = new Option<string?>("--sample") { Description = $"Manifests to apply (default: {DefaultSample})." };
        var noSample = new Option<bool>("--no-sample") { Description = "Start everything but apply nothing." };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Write the management cluster's kubeconfig here." };
        var instances = new Option<int>("--instances") { Description = "How many app processes.", DefaultValueFactory = _ => 1 };
        var state = new Option<string>("--state") { Description = "State directory.", DefaultValueFactory = _ => Path.Combine(".scapi", "up") };
        var resume = new Option<bool>("--resume") { Description = "Keep the state of the last run instead of starting fresh." };
        var exitWhenReady = new Option<bool>("--exit-when-ready") { Description = "Stop everything once the sample is ready (exit 1 on timeout)." };
        var timeout = DurationOption.Create("--timeout", "How long to wait for the sample", TimeSpan.FromMinutes(5));
        var traces = new Option<string?>("--traces")
        {
            Description = "Write the app's finished spans as JSON lines (one span per line) to FILE, or to each app's log with 'console'.",
            HelpName = "FILE|console",
        };
        var cmd = new Command("up", "Run Azurite, the embedded API server, the app and the in-memory provider, and apply a sample cluster.")
        {
            sample, noSample, kubeconfig, instances, state, resume, exitWhenReady, timeout, traces,
        };
        cmd.SetAction((p, ct) => RunAsync(new UpOptions(
            p.GetValue(noSample) ? null : p.GetValue(sample) ?? Path.Combine(RepoPaths.Root, DefaultSample),
            p.GetValue(kubeconfig), Math.Max(1, p.GetValue(instances)), Path.GetFullPath(p.GetValue(state)!),
            p.GetValue(resume), p.GetValue(exitWhenReady), p.GetValue(timeout), TracesTarget(p.GetValue(traces))), ct));
        return cmd;
    }

    private sealed record UpOptions(string? Sample, string? Kubeconfig, int Instances, string StateDir, bool Resume,
        bool ExitWhenReady, TimeSpan Timeout, string? Traces);

    /// <summary>A full path (the apps run in another directory) or <c>console</c>.</summary>
    private static string? TracesTarget(string? value) =>
        value is not { Length: > 0 } ? null
        : string.Equals(value, JsonLinesSpanExporter.Console, StringComparison.OrdinalIgnoreCase) ? JsonLinesSpanExporter.Console
        : Path.GetFullPath(value);

    private static async Task<int> RunAsync(UpOptions o, CancellationToken ct)
    {
        var live = !Console.IsOutputRedirected && AnsiConsole.Profile.Capabilities.Interactive;
        if (o.Sample is not null && !File.Exists(o.Sample))
        {
            Console.Error.WriteLine($"scapi up: no such sample file: {o.Sample}");
            return 2;
        }
        if (!o.Resume && Directory.Exists(o.StateDir)) Directory.Delete(o.StateDir, recursive: true);
        // A fresh run starts a fresh trace file (the apps append to it).
        if (!o.Resume && o.Traces is { } traceFile && traceFile != JsonLinesSpanExporter.Console && File.Exists(traceFile)) File.Delete(traceFile);
        // An app setting like any other (a path, not a secret), so the apps' environment carries it.
        // As clusterctl's quickstart sets CLUSTER_TOPOLOGY=true: ClusterClasses and managed topologies are accepted.
        var appSettings = new Dictionary<string, string> { ["Admission__ClusterTopology"] = "true" };
        if (o.Traces is not null) appSettings["Telemetry__Traces"] = o.Traces;

        Say(live, $"Starting Azurite, the API server, the in-memory cloud and {o.Instances} app process(es)…");
        var clock = Stopwatch.StartNew();
        await using var env = await LocalEnvironment.StartAsync(new LocalEnvironmentOptions(
            o.StateDir, o.Instances, PersistentStorage: true, KubeconfigPath: o.Kubeconfig is null ? null : Path.GetFullPath(o.Kubeconfig),
            AppSettings: appSettings, BeforeApps: InstallCrdsAsync, Webhooks: true), ct);
        env.ChildLine += (child, line) =>
        {
            if (line.Contains("fail", StringComparison.OrdinalIgnoreCase) && line.Contains("crit", StringComparison.OrdinalIgnoreCase))
                Console.Error.WriteLine($"[{child.Name}] {line}");
        };
        foreach (var child in env.Children)
        {
            child.Exited += (c, code) =>
            {
                if (!env.IsStopping) Console.Error.WriteLine($"scapi up: {c.Name} exited ({code}); restarting it");
            };
        }
        Say(live, $"Everything is up in {clock.Elapsed.TotalSeconds:0.0} s. Logs: {env.LogDir}");
        Say(live, $"Admission webhooks registered: {env.WebhookUrl} (CA in {env.WebhookTls!.AuthorityFile}).");
        var adminKeyFile = WriteAdminKey(o.StateDir, env.Endpoints.AdminKey);
        // Other commands (describe) find this run's management cluster through this record while it runs.
        using var registration = o.ExitWhenReady ? null
            : RunningUp.ForThisProcess(o.StateDir, env.KubeconfigPath, env.AppUrl()).Register();

        using var kube = KubeApi.FromKubeconfigFile(env.KubeconfigPath);
        var applier = new ManifestApplier(kube);

        if (o.Sample is not null)
        {
            var objects = ManifestApplier.Parse(await File.ReadAllTextAsync(o.Sample, ct));
            await applier.ApplyAsync(objects, ct: ct);
            Say(live, $"Applied {objects.Count} objects from {Path.GetRelativePath(RepoPaths.Root, o.Sample)}.");
            clock.Restart();
            var ready = await ProgressDisplay.WaitUntilReadyAsync(kube, live, o.Timeout, ct);
            if (ready is null)
            {
                Console.Error.WriteLine($"scapi up: the sample was not ready within {o.Timeout}. Logs: {env.LogDir}");
                await FleetTable.PrintAsync(kube, ct);
                if (o.ExitWhenReady) return 1;
            }
            else
            {
                Console.WriteLine($"Sample ready in {clock.Elapsed.TotalSeconds:0.0} s: {ready.ToLine()}");
                await FleetTable.PrintAsync(kube, ct);
            }
        }

        if (o.ExitWhenReady) return 0;
        var clusters = (await FleetSnapshot.ListAsync(kube, "clusters", null, ct))
            .Select(c => (c?["metadata"]?["namespace"]?.GetValue<string>() ?? "default", c?["metadata"]?["name"]?.GetValue<string>() ?? ""))
            .ToList();
        var where = new WhereThingsAre(env.KubeconfigPath, [.. env.Endpoints.AppPorts.Select((_, i) => env.AppUrl(i))], adminKeyFile,
            env.LogDir, env.WebhookUrl, env.WebhookTls?.AuthorityFile, clusters, o.Traces);
        Console.WriteLine();
        foreach (var line in where.Lines()) Console.WriteLine(line);
        Console.WriteLine("Press Ctrl-C to stop everything.");
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            Console.WriteLine("Stopping…");
        }
        return 0;
    }

    /// <summary>The Cluster API CRDs from infra/crds, applied before the app starts watching (no webhook is registered
    /// yet; the environment registers them once the app answers on HTTPS, before the sample is applied).</summary>
    internal static async Task InstallCrdsAsync(string kubeconfigPath, CancellationToken ct)
    {
        using var kube = KubeApi.FromKubeconfigFile(kubeconfigPath);
        var applier = new ManifestApplier(kube);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
            await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file, ct)), ct: ct);
    }

    /// <summary>The admin key in a file of its own, owner-readable only, so it can be handed to curl by path and is
    /// never printed.</summary>
    private static string WriteAdminKey(string stateDir, string key)
    {
        var file = Path.Combine(stateDir, "admin-key");
        File.WriteAllText(file, key);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        return file;
    }

    private static void Say(bool live, string text)
    {
        if (live) AnsiConsole.MarkupLine($"[grey]{Markup.Escape(text)}[/]");
        else Console.WriteLine(text);
    }
}
