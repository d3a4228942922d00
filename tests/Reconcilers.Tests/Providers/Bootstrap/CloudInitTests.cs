using ServerlessCapi.Api;
using ServerlessCapi.Providers.Bootstrap;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Bootstrap;

public class CloudInitTests
{
    private static KubeadmConfigSpec Spec() => new()
    {
        ClusterConfiguration = new ClusterConfiguration { ApiServer = new ApiServerComponent { CertSans = ["localhost"] } },
        InitConfiguration = new InitConfiguration { NodeRegistration = new NodeRegistrationOptions { CriSocket = "unix:///run/containerd.sock" } },
        JoinConfiguration = new JoinConfiguration { NodeRegistration = new NodeRegistrationOptions { Name = "joiner" } },
        Files = [new BootstrapFile { Path = "/etc/motd", Content = "hello", Permissions = "0644" }],
        PreKubeadmCommands = ["echo before"],
        PostKubeadmCommands = ["echo after"],
        Users = [new BootstrapUser { Name = "capi", Sudo = "ALL=(ALL) NOPASSWD:ALL", SshAuthorizedKeys = ["ssh-ed25519 AAAA"] }],
    };

    private static BootstrapInput Input(BootstrapRole role, KubeadmConfigSpec? spec = null) => new(
        spec ?? Spec(), role, "c1", "v1.33.0", "127.0.0.1:6443",
        new ClusterNetwork { Pods = new NetworkRanges { CidrBlocks = ["192.168.0.0/16"] } }, "abcdef.0123456789abcdef");

    [Fact]
    public void Init_data_runs_kubeadm_init_between_the_users_commands_with_a_cluster_and_init_configuration()
    {
        var text = CloudInit.Render(Input(BootstrapRole.Init));
        var doc = YamlJson.Load(text[text.IndexOf("write_files", StringComparison.Ordinal)..])!.AsObject();

        text.ShouldStartWith("## template: jinja\n#cloud-config\n");
        var commands = doc["runcmd"]!.AsArray().Select(c => c!.GetValue<string>()).ToList();
        commands.ShouldBe(["echo before", "kubeadm init --config /run/kubeadm/kubeadm.yaml && echo success > /run/cluster-api/bootstrap-success.complete", "echo after"]);
        var files = doc["write_files"]!.AsArray();
        files[0]!["path"]!.GetValue<string>().ShouldBe("/etc/motd");
        var kubeadm = YamlJson.LoadAll(files.Single(f => f!["path"]!.GetValue<string>() == CloudInit.KubeadmConfigPath)!["content"]!.GetValue<string>());
        kubeadm.Select(d => d["kind"]!.GetValue<string>()).ShouldBe(["ClusterConfiguration", "InitConfiguration"]);
        kubeadm[0]["kubernetesVersion"]!.GetValue<string>().ShouldBe("v1.33.0");
        kubeadm[0]["controlPlaneEndpoint"]!.GetValue<string>().ShouldBe("127.0.0.1:6443");
        kubeadm[0]["networking"]!["podSubnet"]!.GetValue<string>().ShouldBe("192.168.0.0/16");
        kubeadm[0]["apiServer"]!["certSANs"]![0]!.GetValue<string>().ShouldBe("localhost");
        kubeadm[1]["bootstrapTokens"]![0]!["token"]!.GetValue<string>().ShouldBe("abcdef.0123456789abcdef");
        doc["users"]![0]!["ssh_authorized_keys"]![0]!.GetValue<string>().ShouldBe("ssh-ed25519 AAAA");
    }

    [Fact]
    public void Join_data_discovers_the_control_plane_endpoint_with_the_token()
    {
        var text = CloudInit.Render(Input(BootstrapRole.JoinControlPlane));
        var doc = YamlJson.Load(text[text.IndexOf("write_files", StringComparison.Ordinal)..])!.AsObject();

        doc["runcmd"]!.AsArray().ShouldContain(c => c!.GetValue<string>().StartsWith("kubeadm join --config", StringComparison.Ordinal));
        var content = doc["write_files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == CloudInit.KubeadmConfigPath)!["content"]!.GetValue<string>();
        var join = YamlJson.LoadAll(content).ShouldHaveSingleItem();
        join["kind"]!.GetValue<string>().ShouldBe("JoinConfiguration");
        join["discovery"]!["bootstrapToken"]!["apiServerEndpoint"]!.GetValue<string>().ShouldBe("127.0.0.1:6443");
        join["discovery"]!["bootstrapToken"]!["token"]!.GetValue<string>().ShouldBe("abcdef.0123456789abcdef");
        join["controlPlane"].ShouldNotBeNull();
        join["nodeRegistration"]!["name"]!.GetValue<string>().ShouldBe("joiner");
    }

    [Fact]
    public void A_worker_join_has_no_control_plane_section()
    {
        var text = CloudInit.Render(Input(BootstrapRole.JoinWorker));

        text.ShouldNotContain("controlPlane:");
        text.ShouldContain("kubeadm join");
    }

    [Fact]
    public void File_content_from_a_secret_is_resolved_or_reported_missing()
    {
        var spec = Spec();
        spec.Files = [new BootstrapFile { Path = "/etc/x", ContentFrom = new BootstrapFileSource { Secret = new SecretKeyReference { Name = "s", Key = "k" } } }];

        Should.Throw<BootstrapDataException>(() => CloudInit.Render(Input(BootstrapRole.Init, spec)));
        var resolved = Input(BootstrapRole.Init, spec) with { SecretValues = new Dictionary<(string, string), string> { [("s", "k")] = "from-secret" } };
        CloudInit.Render(resolved).ShouldContain("from-secret");
    }

    [Theory]
    [InlineData(false, true, false, true, null, "infrastructureProvisioned")]
    [InlineData(false, false, true, false, null, "control plane to be initialized")]
    [InlineData(true, false, true, false, BootstrapRole.Init, null)]
    [InlineData(true, false, true, true, BootstrapRole.JoinControlPlane, null)]
    [InlineData(false, false, true, true, BootstrapRole.JoinWorker, null)]
    public void The_decision_follows_the_cluster(bool controlPlane, bool joinOnly, bool infra, bool initialized, BootstrapRole? role, string? waiting)
    {
        var spec = joinOnly ? new KubeadmConfigSpec { JoinConfiguration = new JoinConfiguration() } : Spec();

        var d = BootstrapDecision.For(spec, controlPlane, infra, initialized, endpointKnown: true);

        d.Role.ShouldBe(role);
        if (waiting is null) d.WaitingFor.ShouldBeNull();
        else d.WaitingFor.ShouldNotBeNull().ShouldContain(waiting);
    }

    [Fact]
    public void A_control_plane_join_config_waits_for_initialization()
    {
        var d = BootstrapDecision.For(new KubeadmConfigSpec { JoinConfiguration = new JoinConfiguration() }, controlPlaneMachine: true,
            infrastructureProvisioned: true, controlPlaneInitialized: false, endpointKnown: true);

        d.Ready.ShouldBeFalse();
    }

    [Fact]
    public void Join_tokens_have_kubeadms_shape_and_differ()
    {
        var a = BootstrapSecret.NewJoinToken();

        a.ShouldMatch("^[a-z0-9]{6}\\.[a-z0-9]{16}$");
        BootstrapSecret.NewJoinToken().ShouldNotBe(a);
    }
}
