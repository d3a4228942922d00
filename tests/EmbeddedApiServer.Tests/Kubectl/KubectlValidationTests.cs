using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Local;
using ServerlessCapi.Testing;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Kubectl;

/// <summary>The real kubectl sees kube-apiserver's validation answers: this product's CRDs accept the samples and
/// refuse an invalid object with the field path, and a patch that breaks a rule is refused.</summary>
public sealed class KubectlValidationTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), TestNames.Unique("kubectl-validation"));
    private KubectlCli _kubectl = null!;

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        var server = await TestApiServer.SharedAsync();
        // A workload cluster of its own, so the product's CRDs do not meet other tests' objects.
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        server.WriteKubeconfig(kubeconfig, TestNames.Unique("kv"));
        _kubectl = new KubectlCli(kubeconfig, Path.Combine(_dir, "cache"));
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [KubectlFact]
    public async Task The_product_CRDs_accept_the_quickstart_sample_and_refuse_a_Machine_without_clusterName()
    {
        await _kubectl.OkAsync("apply", "-f", Path.Combine(RepoPaths.Root, "infra", "crds"));
        await _kubectl.OkAsync("wait", "--for=condition=Established", "crd/machines.cluster.x-k8s.io", "--timeout=30s");

        await _kubectl.OkAsync("apply", "-f", Path.Combine(RepoPaths.Root, "samples", "quickstart.yaml"));
        (await _kubectl.OkAsync("get", "clusters.cluster.x-k8s.io", "demo", "-n", "default", "-o", "name")).Trim().ShouldBe("cluster.cluster.x-k8s.io/demo");

        var machine = Path.Combine(_dir, "machine.yaml");
        await File.WriteAllTextAsync(machine, """
            apiVersion: cluster.x-k8s.io/v1beta2
            kind: Machine
            metadata:
              name: m1
              namespace: default
            spec:
              bootstrap:
                dataSecretName: m1-bootstrap
              infrastructureRef:
                apiGroup: infrastructure.cluster.x-k8s.io
                kind: DevMachine
                name: m1
            """);
        var (code, output, error) = await _kubectl.RunAsync("apply", "-f", machine);
        code.ShouldNotBe(0, output);
        error.ShouldContain("The Machine \"m1\" is invalid");
        error.ShouldContain("spec.clusterName: Required value");
        (await _kubectl.RunAsync("get", "machines.cluster.x-k8s.io", "m1", "-n", "default")).Code.ShouldNotBe(0, "nothing was stored");
    }

    [KubectlFact]
    public async Task A_patch_that_breaks_a_rule_is_refused_with_the_rule_s_message()
    {
        await _kubectl.OkAsync("apply", "-f", ContractTarget.Manifest("probes-crd.yaml"));
        await _kubectl.OkAsync("wait", "--for=condition=Established", "crd/probes.example.com", "--timeout=30s");
        var probe = Path.Combine(_dir, "probe.yaml");
        await File.WriteAllTextAsync(probe, """
            apiVersion: example.com/v1
            kind: Probe
            metadata:
              name: p1
              namespace: default
            spec:
              clusterName: c1
            """);
        await _kubectl.OkAsync("apply", "-f", probe);

        var (code, _, error) = await _kubectl.RunAsync("patch", "probe", "p1", "-n", "default", "--type=merge", "-p", """{"spec":{"paused":true}}""");
        code.ShouldNotBe(0);
        error.ShouldContain("spec.replicas: Invalid value: replicas must be 0 while paused");
        (await _kubectl.OkAsync("get", "probe", "p1", "-n", "default", "-o", "jsonpath={.spec.paused}")).ShouldBeEmpty();
    }
}
