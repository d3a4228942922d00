using System.Diagnostics;
using k8s.Models;
using ServerlessCapi.Api;
using ServerlessCapi.Kube.Access;
using ServerlessCapi.Local;
using ServerlessCapi.Reconcilers.Framework;
using ServerlessCapi.Testing;

namespace ServerlessCapi.Integration.Tests;

/// <summary><c>scapi generate cluster</c> through the CLI: the sample template renders with variables from the
/// environment and flags, and what it prints is accepted by the API server with the CRDs' validation.</summary>
public sealed class GenerateClusterTests
{
    private static readonly string Template = Path.Combine(RepoPaths.Root, "samples", "templates", "cluster-template.yaml");

    private static async Task<(int Code, string Out, string Err)> RunCliAsync(IReadOnlyDictionary<string, string?> env, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "ServerlessCapi.Cli.dll"));
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in new[] { "KUBERNETES_VERSION", "CONTROL_PLANE_MACHINE_COUNT", "WORKER_MACHINE_COUNT", "NAMESPACE", "CLUSTER_NAME" })
            psi.Environment.Remove(name);
        psi.Environment["KUBECONFIG"] = Path.Combine(Path.GetTempPath(), "scapi-no-kubeconfig");
        foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = p.StandardError.ReadToEndAsync(timeout.Token);
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    private static async Task<KubeApi> ManagementClusterAsync()
    {
        CapiResources.Register();
        var server = await TestApiServer.SharedAsync();
        var kube = new KubeApi(server.ClientConfig());
        var applier = new ManifestApplier(kube);
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Root, "infra", "crds"), "*.yaml").Order(StringComparer.Ordinal))
            await applier.ApplyAsync(ManifestApplier.Parse(await File.ReadAllTextAsync(file)));
        return kube;
    }

    [Fact]
    public async Task The_sample_template_renders_with_environment_and_flags_and_the_API_server_accepts_it()
    {
        var ns = TestNames.Unique("gen");
        var (code, yaml, err) = await RunCliAsync(new Dictionary<string, string?> { ["KUBERNETES_VERSION"] = "v1.34.1", ["POD_CIDR"] = "10.42.0.0/16" },
            "generate", "cluster", "alpha", "--from", Template, "--target-namespace", ns, "--control-plane-machine-count", "3", "--worker-machine-count", "2");
        code.ShouldBe(0, err);
        yaml.ShouldNotContain("${");

        using var kube = await ManagementClusterAsync();
        await kube.CreateAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        var objects = ManifestApplier.Parse(yaml);
        objects.Count.ShouldBe(8);
        await new ManifestApplier(kube).ApplyAsync(objects, defaultNamespace: "default");

        var cluster = await kube.GetAsync<Api.Cluster>(ns, "alpha");
        cluster.ShouldNotBeNull();
        cluster.Spec.ClusterNetwork!.Pods!.CidrBlocks.ShouldBe(["10.42.0.0/16"]);
        var kcp = await kube.GetAsync<KubeadmControlPlane>(ns, "alpha-control-plane");
        kcp.ShouldNotBeNull();
        kcp.Spec.Replicas.ShouldBe(3);
        kcp.Spec.Version.ShouldBe("v1.34.1");
        var md = await kube.GetAsync<MachineDeployment>(ns, "alpha-md-0");
        md.ShouldNotBeNull();
        md.Spec.Replicas.ShouldBe(2);
        md.Spec.Template.Spec.Version.ShouldBe("v1.34.1");
        (await kube.GetAsync<DevMachineTemplate>(ns, "alpha-md-0")).ShouldNotBeNull();
    }

    [Fact]
    public async Task Missing_variables_fail_with_their_names_and_list_variables_shows_them()
    {
        var (code, yaml, err) = await RunCliAsync(new Dictionary<string, string?>(), "generate", "cluster", "beta", "--from", Template);
        code.ShouldBe(1);
        yaml.ShouldBeEmpty();
        err.ShouldContain("[KUBERNETES_VERSION]");

        var (listCode, list, listErr) = await RunCliAsync(new Dictionary<string, string?> { ["WORKER_MACHINE_COUNT"] = "4" },
            "generate", "cluster", "beta", "--from", Template, "--list-variables");
        listCode.ShouldBe(0, listErr);
        list.ShouldStartWith("Required Variables:\n  - KUBERNETES_VERSION\n\nOptional Variables:\n");
        list.ShouldContain("  - WORKER_MACHINE_COUNT         (defaults to 4)\n");
        list.ShouldContain("  - NAMESPACE                    (defaults to default)\n");
        list.ShouldContain("  - POD_CIDR                     (defaults to \"192.168.0.0/16\")\n");
    }

    [Fact]
    public async Task Output_goes_to_the_file_given()
    {
        var file = Path.Combine(Path.GetTempPath(), TestNames.Unique("gen") + ".yaml");
        try
        {
            var (code, stdout, err) = await RunCliAsync(new Dictionary<string, string?> { ["KUBERNETES_VERSION"] = "v1.34.1" },
                "generate", "cluster", "gamma", "--from", Template, "--output", file);
            code.ShouldBe(0, err);
            stdout.ShouldBeEmpty();
            var objects = ManifestApplier.Parse(await File.ReadAllTextAsync(file));
            objects.Select(o => o["metadata"]!["namespace"]?.GetValue<string>()).Distinct().ShouldBe(["default"]);
            objects.First(o => o["kind"]!.GetValue<string>() == "Cluster")["metadata"]!["name"]!.GetValue<string>().ShouldBe("gamma");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
