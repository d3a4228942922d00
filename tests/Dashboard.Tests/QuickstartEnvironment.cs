using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Dashboard.Tests;

/// <summary>What <c>scapi up</c> runs, as separate processes (Azurite, the API server, the in-memory cloud, the app with
/// its admission webhooks), with the quickstart applied and converged: Cluster demo Available, six Machines Running.</summary>
public sealed class QuickstartEnvironment : IAsyncLifetime
{
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(4);

    private DirectoryInfo? _state;

    public LocalEnvironment Env { get; private set; } = null!;
    public KubeApi Kube { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _state = Directory.CreateTempSubdirectory("scapi-dashboard-");
        Env = await LocalEnvironment.StartAsync(new LocalEnvironmentOptions(_state.FullName, Instances: 1, PersistentStorage: false,
            BeforeApps: InstallCrdsAsync, Webhooks: true,
            // Charts get a point a second, so a short run already draws lines.
            AppSettings: new Dictionary<string, string> { ["Dashboard__SampleInterval"] = "00:00:01" }));
        CapiResources.Register();
        Kube = KubeApi.FromKubeconfigFile(Env.KubeconfigPath);
        await new ManifestApplier(Kube).ApplyAsync(ManifestApplier.Parse(
            await File.ReadAllTextAsync(Path.Combine(RepoPaths.Root, "samples", "quickstart.yaml"))));
        await WaitFor.ConditionAsync(() => ConvergedAsync(machines: 6), Timeout,
            $"Cluster demo Available with 6 Machines Running (logs: {Env.LogDir})");
    }

    /// <summary>Cluster demo Provisioned and Available, and exactly <paramref name="machines"/> Machines Running with a Node.</summary>
    public async Task<bool> ConvergedAsync(int machines)
    {
        var cluster = await Kube.GetAsync<Api.Cluster>("default", "demo");
        var list = await Kube.ListAsync<Api.Machine>("default");
        return cluster?.Status.Phase == ClusterPhase.Provisioned && Conditions.IsTrue(cluster.Status.Conditions, ClusterConditions.Available)
               && list.Count == machines && list.All(m => m.Status.Phase == MachinePhase.Running && m.Status.NodeRef is not null);
    }

    public async Task DisposeAsync()
    {
        Kube?.Dispose();
        if (Env is not null) await Env.DisposeAsync();
        _state?.Delete(recursive: true);
    }

    private static async Task InstallCrdsAsync(string kubeconfig, CancellationToken ct)
    {
        using var kube = KubeApi.FromKubeconfigFile(kubeconfig);
        var applier = new ManifestApplier(kube);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
            await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file, ct)), ct: ct);
    }
}
