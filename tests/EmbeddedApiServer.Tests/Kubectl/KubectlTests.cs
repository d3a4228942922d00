using System.Text.Json.Nodes;
using ServerlessCapi.EmbeddedApiServer.Tests.Contract;
using ServerlessCapi.Testing;

namespace ServerlessCapi.EmbeddedApiServer.Tests.Kubectl;

/// <summary>The real kubectl against the embedded server: discovery, apply, printing, patch, scale, wait, delete.</summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), TestNames.Unique("kubectl"));
    private EmbeddedApiServer _server = null!;
    private KubectlCli _kubectl = null!;
    private string _ns = "";

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(_dir);
        _server = await TestApiServer.SharedAsync();
        var kubeconfig = Path.Combine(_dir, "kubeconfig");
        _server.WriteKubeconfig(kubeconfig);
        _kubectl = new KubectlCli(kubeconfig, Path.Combine(_dir, "cache"));
        _ns = TestNames.Unique("kc");
        if (KubectlCli.Path is not null)
        {
            await _kubectl.OkAsync("create", "namespace", _ns);
            await _kubectl.OkAsync("apply", "-f", ContractTarget.Manifest("widgets-crd.yaml"));
            await _kubectl.OkAsync("wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=30s");
        }
    }

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    [KubectlFact]
    public async Task Api_resources_lists_built_in_kinds_and_registered_CRDs()
    {
        var output = await _kubectl.OkAsync("api-resources");
        output.ShouldContain("namespaces");
        output.ShouldContain("customresourcedefinitions");
        output.ShouldContain("leases");
        output.ShouldMatch(@"widgets\s+wg\s+example.com/v1\s+true\s+Widget");
    }

    [KubectlFact]
    public async Task Apply_then_get_prints_the_CRD_printer_columns()
    {
        await _kubectl.OkAsync("apply", "-n", _ns, "-f", ContractTarget.Manifest("widget-sample.yaml"));
        var table = await _kubectl.OkAsync("get", "widgets", "-n", _ns);
        var lines = table.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["NAME", "REPLICAS", "COLOR", "READY", "AGE"]);
        lines[1].ShouldStartWith("sample");
        lines[1].ShouldContain("blue");

        var json = JsonNode.Parse(await _kubectl.OkAsync("get", "wg", "sample", "-n", _ns, "-o", "json"));
        json.Str("spec.color").ShouldBe("blue");
        json!["metadata"]!["annotations"]!["kubectl.kubernetes.io/last-applied-configuration"].ShouldNotBeNull();
        (await _kubectl.OkAsync("apply", "-n", _ns, "-f", ContractTarget.Manifest("widget-sample.yaml"))).ShouldContain("unchanged");
    }

    [KubectlFact]
    public async Task Patch_merge_and_json_scale_and_delete()
    {
        await _kubectl.OkAsync("apply", "-n", _ns, "-f", ContractTarget.Manifest("widget-sample.yaml"));
        await _kubectl.OkAsync("patch", "wg", "sample", "-n", _ns, "--type", "merge", "-p", """{"spec":{"color":"green"}}""");
        await _kubectl.OkAsync("patch", "wg", "sample", "-n", _ns, "--type", "json", "-p", """[{"op":"replace","path":"/spec/replicas","value":3}]""");
        (await _kubectl.OkAsync("get", "wg", "sample", "-n", _ns, "-o", "jsonpath={.spec.color}/{.spec.replicas}")).ShouldBe("green/3");

        await _kubectl.OkAsync("scale", "wg", "sample", "-n", _ns, "--replicas=6");
        (await _kubectl.OkAsync("get", "wg", "sample", "-n", _ns, "-o", "jsonpath={.spec.replicas}")).ShouldBe("6");

        await _kubectl.OkAsync("delete", "wg", "sample", "-n", _ns);
        var (code, _, err) = await _kubectl.RunAsync("get", "wg", "sample", "-n", _ns);
        code.ShouldNotBe(0);
        err.ShouldContain("NotFound");
    }

    [KubectlFact]
    public async Task Server_side_apply_and_wait_for_a_condition_and_a_jsonpath()
    {
        (await _kubectl.OkAsync("apply", "--server-side", "-n", _ns, "-f", ContractTarget.Manifest("widget-sample.yaml"))).ShouldContain("serverside-applied");
        var waiting = _kubectl.RunAsync("wait", "-n", _ns, "wg/sample", "--for=condition=Ready", "--timeout=30s");
        var waitingPath = _kubectl.RunAsync("wait", "-n", _ns, "wg/sample", "--for=jsonpath={.status.phase}=Running", "--timeout=30s");
        await _kubectl.OkAsync("patch", "wg", "sample", "-n", _ns, "--subresource=status", "--type", "merge",
            "-p", """{"status":{"phase":"Running","conditions":[{"type":"Ready","status":"True"}]}}""");
        (await waiting).Code.ShouldBe(0);
        (await waitingPath).Code.ShouldBe(0);
    }

    [KubectlFact]
    public async Task Typed_create_commands_and_selectors_work_for_built_in_kinds()
    {
        await _kubectl.OkAsync("create", "configmap", "settings", "-n", _ns, "--from-literal=mode=fast");
        await _kubectl.OkAsync("create", "secret", "generic", "creds", "-n", _ns, "--from-literal=password=p");
        await _kubectl.OkAsync("label", "configmap", "settings", "-n", _ns, "tier=web");
        (await _kubectl.OkAsync("get", "cm", "-n", _ns, "-l", "tier=web", "-o", "name")).Trim().ShouldBe("configmap/settings");
        (await _kubectl.OkAsync("get", "secret", "creds", "-n", _ns, "-o", "jsonpath={.type}")).ShouldBe("Opaque");
        var secrets = await _kubectl.OkAsync("get", "secrets", "-n", _ns);
        secrets.ShouldMatch(@"creds\s+Opaque\s+1\s+\d+s");
    }

    [KubectlFact]
    public async Task A_workload_cluster_kubeconfig_with_a_path_prefix_works()
    {
        var cluster = TestNames.Unique("kw");
        var kubeconfig = Path.Combine(_dir, "workload");
        _server.WriteKubeconfig(kubeconfig, cluster);
        var workload = new KubectlCli(kubeconfig, Path.Combine(_dir, "cache-workload"));
        await workload.OkAsync("create", "namespace", "only-here");
        (await workload.OkAsync("get", "ns", "-o", "name")).ShouldContain("namespace/only-here");
        (await _kubectl.OkAsync("get", "ns", "-o", "name")).ShouldNotContain("namespace/only-here");
    }

    [KubectlFact]
    public async Task Get_watch_prints_changes_as_they_happen()
    {
        await _kubectl.OkAsync("apply", "-n", _ns, "-f", ContractTarget.Manifest("widget-sample.yaml"));
        var watching = _kubectl.RunAsync("get", "wg", "-n", _ns, "-w", "--request-timeout=6s");
        await WaitFor.ConditionAsync(() => _server.RequestCounts["watch"] > 0, TimeSpan.FromSeconds(20), "kubectl to start watching");
        await _kubectl.OkAsync("scale", "wg", "sample", "-n", _ns, "--replicas=9");
        var (_, output, _) = await watching;
        output.ShouldContain("sample");
        output.Split('\n').ShouldContain(l => l.StartsWith("sample", StringComparison.Ordinal) && l.Contains(" 9 ", StringComparison.Ordinal));
    }
}
