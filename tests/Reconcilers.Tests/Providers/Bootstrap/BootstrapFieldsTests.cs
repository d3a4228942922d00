using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using ServerlessCapi.Providers.Bootstrap;

namespace ServerlessCapi.Reconcilers.Tests.Providers.Bootstrap;

/// <summary>Every field group of a KubeadmConfigSpec reaches the bootstrap data, in cloud-init and in Ignition.</summary>
public class BootstrapFieldsTests
{
    private static readonly Dictionary<(string, string), string> Secrets = new()
    {
        [("motd", "text")] = "from the secret\n",
        [("ops", "hash")] = "$6$hash",
    };

    private static KubeadmConfigSpec FullSpec() => new()
    {
        ClusterConfiguration = new ClusterConfiguration
        {
            Etcd = new EtcdSpec { Local = new LocalEtcd { DataDir = "/var/lib/etcd", ExtraEnvs = [new EnvVar { Name = "GOMAXPROCS", Value = "2" }] } },
        },
        InitConfiguration = new InitConfiguration
        {
            BootstrapTokens = [new BootstrapToken { Token = "abcdef.0123456789abcdef", TtlSeconds = 900 }],
            NodeRegistration = new NodeRegistrationOptions { Taints = [new NodeTaint { Key = "dedicated", Value = "infra", Effect = "NoSchedule" }] },
            Timeouts = new KubeadmTimeouts { ControlPlaneComponentHealthCheckSeconds = 240 },
        },
        JoinConfiguration = new JoinConfiguration
        {
            Discovery = new Discovery
            {
                File = new FileDiscovery
                {
                    KubeConfigPath = "/etc/kubernetes/discovery.conf",
                    KubeConfig = new FileDiscoveryKubeConfig { User = new KubeConfigUser { Exec = new KubeConfigAuthExec { Command = "/bin/token", Args = ["--cluster", "c1"] } } },
                },
            },
            Timeouts = new KubeadmTimeouts { DiscoverySeconds = 300 },
        },
        Files =
        [
            new BootstrapFile { Path = "/etc/motd", ContentFrom = new BootstrapFileSource { Secret = new SecretKeyReference { Name = "motd", Key = "text" } }, Owner = "root:adm", Permissions = "0640" },
            new BootstrapFile { Path = "/etc/blob", Content = "aGVsbG8=", Encoding = "base64" },
        ],
        Users =
        [
            new BootstrapUser { Name = "ops", PasswdFrom = new BootstrapFileSource { Secret = new SecretKeyReference { Name = "ops", Key = "hash" } }, Groups = "adm, wheel", Sudo = "ALL=(ALL) NOPASSWD:ALL", LockPassword = false },
        ],
        Ntp = new NtpSpec { Enabled = true, Servers = ["time.example.com"] },
        DiskSetup = new DiskSetup
        {
            Partitions = [new Partition { Device = "/dev/sdb", TableType = "gpt", DiskLayout = [new PartitionSpec { Percentage = 30, PartitionType = "LinuxSwap" }, new PartitionSpec { Percentage = 70 }] }],
            Filesystems = [new Filesystem { Device = "/dev/sdb2", FileSystem = "ext4", Label = "data", ExtraOpts = ["-F"], Overwrite = true }],
        },
        Mounts = [["data", "/var/lib/data", "defaults"]],
        BootCommands = ["echo boot"],
        PreKubeadmCommands = ["echo pre"],
        PostKubeadmCommands = ["echo post"],
        Verbosity = 5,
    };

    private static BootstrapInput Input(BootstrapRole role, KubeadmConfigSpec? spec = null) =>
        new(spec ?? FullSpec(), role, "c1", "v1.33.0", "10.0.0.1:6443", null, "tok123.0123456789abcdef", Secrets);

    private static JsonObject CloudConfig(BootstrapRole role, KubeadmConfigSpec? spec = null)
    {
        var text = CloudInit.Render(Input(role, spec));
        return YamlJson.Load(text[text.IndexOf('\n', text.IndexOf("#cloud-config", StringComparison.Ordinal))..])!.AsObject();
    }

    private static string FileContent(JsonObject doc, string path) =>
        doc["write_files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == path)!["content"]!.GetValue<string>();

    [Fact]
    public void Cloud_init_carries_files_users_ntp_disks_mounts_and_commands()
    {
        var doc = CloudConfig(BootstrapRole.Init);

        FileContent(doc, "/etc/motd").ShouldBe("from the secret\n");
        var motd = doc["write_files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == "/etc/motd")!;
        (motd["owner"]!.GetValue<string>(), motd["permissions"]!.GetValue<string>()).ShouldBe(("root:adm", "0640"));
        doc["users"]![0]!["passwd"]!.GetValue<string>().ShouldBe("$6$hash");
        doc["users"]![0]!["lock_passwd"]!.GetValue<bool>().ShouldBeFalse();
        doc["ntp"]!["servers"]![0]!.GetValue<string>().ShouldBe("time.example.com");
        var layout = doc["disk_setup"]!["/dev/sdb"]!["layout"]!.AsArray();
        layout[0]!.AsArray().Select(x => x!.ToString()).ShouldBe(["30", "82"]);
        layout[1]!.ToString().ShouldBe("70");
        doc["disk_setup"]!["/dev/sdb"]!["table_type"]!.GetValue<string>().ShouldBe("gpt");
        var fs = doc["fs_setup"]![0]!;
        (fs["label"]!.GetValue<string>(), fs["filesystem"]!.GetValue<string>(), fs["device"]!.GetValue<string>()).ShouldBe(("data", "ext4", "/dev/sdb2"));
        fs["extra_opts"]![0]!.GetValue<string>().ShouldBe("-F");
        doc["mounts"]![0]!.AsArray().Select(x => x!.GetValue<string>()).ShouldBe(["data", "/var/lib/data", "defaults"]);
        doc["bootcmd"]![0]!.GetValue<string>().ShouldBe("echo boot");
        doc["runcmd"]!.AsArray().Select(c => c!.GetValue<string>()).ShouldBe([
            "echo pre", "kubeadm init --config /run/kubeadm/kubeadm.yaml --v=5 && echo success > /run/cluster-api/bootstrap-success.complete", "echo post"]);
    }

    [Fact]
    public void The_kubeadm_init_config_carries_etcd_tokens_taints_and_timeouts_in_kubeadms_units()
    {
        var docs = YamlJson.LoadAll(FileContent(CloudConfig(BootstrapRole.Init), CloudInit.KubeadmConfigPath));

        docs[0]["etcd"]!["local"]!["extraEnvs"]![0]!["name"]!.GetValue<string>().ShouldBe("GOMAXPROCS");
        var token = docs[1]["bootstrapTokens"]![0]!;
        token["ttl"]!.GetValue<string>().ShouldBe("900s");
        token.AsObject().ContainsKey("ttlSeconds").ShouldBeFalse();
        docs[1]["nodeRegistration"]!["taints"]![0]!["effect"]!.GetValue<string>().ShouldBe("NoSchedule");
        docs[1]["timeouts"]!.ToJsonString().ShouldBe("""{"controlPlaneComponentHealthCheck":"240s"}""");
    }

    [Fact]
    public void A_join_with_file_discovery_writes_the_discovery_kubeconfig_and_gives_kubeadm_its_path()
    {
        var doc = CloudConfig(BootstrapRole.JoinWorker);

        var join = YamlJson.LoadAll(FileContent(doc, CloudInit.KubeadmConfigPath)).ShouldHaveSingleItem();
        join["discovery"]!["file"]!.ToJsonString().ShouldBe("""{"kubeConfigPath":"/etc/kubernetes/discovery.conf"}""");
        join["timeouts"]!["discovery"]!.GetValue<string>().ShouldBe("300s");
        var kubeconfig = YamlJson.Load(FileContent(doc, "/etc/kubernetes/discovery.conf"))!;
        kubeconfig["clusters"]![0]!["cluster"]!["server"]!.GetValue<string>().ShouldBe("https://10.0.0.1:6443");
        kubeconfig["users"]![0]!["user"]!["exec"]!["command"]!.GetValue<string>().ShouldBe("/bin/token");
        kubeconfig["users"]![0]!["user"]!["exec"]!["args"]!.AsArray().Select(a => a!.GetValue<string>()).ShouldBe(["--cluster", "c1"]);
    }

    [Fact]
    public void A_missing_password_secret_is_reported_not_rendered_empty()
    {
        var input = Input(BootstrapRole.Init) with { SecretValues = new Dictionary<(string, string), string> { [("motd", "text")] = "x" } };

        Should.Throw<BootstrapDataException>(() => CloudInit.Render(input)).Message.ShouldContain("ops");
        Should.Throw<BootstrapDataException>(() => IgnitionConfig.Render(input)).Message.ShouldContain("ops");
    }

    private static JsonObject Ignition(BootstrapRole role, KubeadmConfigSpec? spec = null) =>
        JsonNode.Parse(IgnitionConfig.Render(Input(role, spec)))!.AsObject();

    private static JsonNode IgnitionFile(JsonObject doc, string path) =>
        doc["storage"]!["files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == path)!;

    private static string Contents(JsonNode file)
    {
        var source = file["contents"]!["source"]!.GetValue<string>();
        source.ShouldStartWith("data:,");
        return Uri.UnescapeDataString(source["data:,".Length..]);
    }

    [Fact]
    public void Ignition_carries_users_files_and_a_kubeadm_unit_running_the_commands_around_kubeadm()
    {
        var doc = Ignition(BootstrapRole.Init);

        doc["ignition"]!["version"]!.GetValue<string>().ShouldBe("2.3.0");
        var user = doc["passwd"]!["users"]![0]!;
        user["passwordHash"]!.GetValue<string>().ShouldBe("$6$hash");
        user["groups"]!.AsArray().Select(g => g!.GetValue<string>()).ShouldBe(["adm", "wheel"]);
        Contents(IgnitionFile(doc, "/etc/sudoers.d/ops")).ShouldBe("ops ALL=(ALL) NOPASSWD:ALL\n");
        Contents(IgnitionFile(doc, "/etc/ssh/sshd_config")).ShouldContain("Match User ops\n  PasswordAuthentication yes");

        var motd = IgnitionFile(doc, "/etc/motd");
        Contents(motd).ShouldBe("from the secret\n");
        motd["mode"]!.GetValue<int>().ShouldBe(0x1A0); // 0640
        (motd["user"]!["name"]!.GetValue<string>(), motd["group"]!["name"]!.GetValue<string>()).ShouldBe(("root", "adm"));
        IgnitionFile(doc, "/etc/blob")["contents"]!["source"]!.GetValue<string>().ShouldBe("data:;base64,aGVsbG8=");

        var script = Contents(IgnitionFile(doc, IgnitionConfig.KubeadmScriptPath));
        script.IndexOf("echo pre", StringComparison.Ordinal).ShouldBeLessThan(script.IndexOf("kubeadm init --config /etc/kubeadm.yml --v=5", StringComparison.Ordinal));
        script.IndexOf("bootstrap-success.complete", StringComparison.Ordinal).ShouldBeLessThan(script.IndexOf("echo post", StringComparison.Ordinal));
        var kubeadm = YamlJson.LoadAll(Contents(IgnitionFile(doc, IgnitionConfig.KubeadmConfigPath)));
        kubeadm.Select(d => d["kind"]!.GetValue<string>()).ShouldBe(["ClusterConfiguration", "InitConfiguration"]);
        Contents(IgnitionFile(doc, "/etc/ntp.conf")).ShouldContain("server time.example.com\n");

        var units = doc["systemd"]!["units"]!.AsArray();
        units.Select(u => u!["name"]!.GetValue<string>()).ShouldBe(["kubeadm.service", "ntpd.service", "var-lib-data.mount"]);
        units[0]!["contents"]!.GetValue<string>().ShouldContain("ExecStart=/bin/bash /etc/kubeadm.sh");
        units[2]!["contents"]!.GetValue<string>().ShouldContain("What=/dev/sdb2\nWhere=/var/lib/data\nOptions=defaults");
        var filesystem = doc["storage"]!["filesystems"]![0]!["mount"]!;
        (filesystem["device"]!.GetValue<string>(), filesystem["format"]!.GetValue<string>(), filesystem["wipeFilesystem"]!.GetValue<bool>())
            .ShouldBe(("/dev/sdb2", "ext4", true));
        doc["storage"]!["disks"]![0]!["device"]!.GetValue<string>().ShouldBe("/dev/sdb");
    }

    [Fact]
    public void Ignition_adds_the_units_and_files_of_the_additional_container_linux_config()
    {
        var spec = FullSpec();
        spec.Ignition = new IgnitionSpec
        {
            ContainerLinuxConfig = new ContainerLinuxConfig
            {
                AdditionalConfig = "systemd:\n  units:\n  - name: extra.service\n    enabled: true\n    contents: |\n      [Service]\n      ExecStart=/bin/true\nstorage:\n  files:\n  - path: /etc/extra\n    mode: 0600\n    contents:\n      inline: extra\n",
            },
        };

        var doc = Ignition(BootstrapRole.JoinWorker, spec);

        doc["systemd"]!["units"]!.AsArray().Select(u => u!["name"]!.GetValue<string>()).ShouldContain("extra.service");
        var extra = IgnitionFile(doc, "/etc/extra");
        Contents(extra).ShouldBe("extra");
        extra["mode"]!.GetValue<int>().ShouldBe(0x180);
        Contents(IgnitionFile(doc, "/etc/kubernetes/discovery.conf")).ShouldContain("/bin/token");
    }

    [Fact]
    public void A_control_plane_machine_writes_the_cluster_certificates_where_kubeadm_reads_them()
    {
        static k8s.Models.V1Secret Secret(string crt, string? key = null) => new()
        {
            Data = key is null
                ? new Dictionary<string, byte[]> { ["tls.crt"] = System.Text.Encoding.ASCII.GetBytes(crt) }
                : new Dictionary<string, byte[]> { ["tls.crt"] = System.Text.Encoding.ASCII.GetBytes(crt), ["tls.key"] = System.Text.Encoding.ASCII.GetBytes(key) },
        };
        var files = CertificateFiles.From(new Dictionary<string, k8s.Models.V1Secret>
        {
            ["ca"] = Secret("CA CERT", "CA KEY"),
            ["sa"] = Secret("SA PUB", "SA KEY"),
            ["etcd"] = Secret("ETCD CERT"),
        });
        var input = Input(BootstrapRole.Init) with { CertificateFiles = files };

        var doc = CloudConfig(BootstrapRole.Init, null);
        doc["write_files"]!.AsArray().ShouldNotContain(f => f!["path"]!.GetValue<string>().StartsWith("/etc/kubernetes/pki", StringComparison.Ordinal));
        var text = CloudInit.Render(input);
        var withCerts = YamlJson.Load(text[text.IndexOf('\n', text.IndexOf("#cloud-config", StringComparison.Ordinal))..])!.AsObject();
        FileContent(withCerts, "/etc/kubernetes/pki/ca.crt").ShouldBe("CA CERT");
        FileContent(withCerts, "/etc/kubernetes/pki/ca.key").ShouldBe("CA KEY");
        FileContent(withCerts, "/etc/kubernetes/pki/sa.pub").ShouldBe("SA PUB");
        FileContent(withCerts, "/etc/kubernetes/pki/etcd/ca.crt").ShouldBe("ETCD CERT");
        withCerts["write_files"]!.AsArray().ShouldNotContain(f => f!["path"]!.GetValue<string>() == "/etc/kubernetes/pki/etcd/ca.key");
        withCerts["write_files"]!.AsArray().Single(f => f!["path"]!.GetValue<string>() == "/etc/kubernetes/pki/ca.key")!["permissions"]!.GetValue<string>().ShouldBe("0600");

        var ignition = JsonNode.Parse(IgnitionConfig.Render(input))!.AsObject();
        Contents(IgnitionFile(ignition, "/etc/kubernetes/pki/ca.crt")).ShouldBe("CA CERT");
        IgnitionFile(ignition, "/etc/kubernetes/pki/sa.key")["mode"]!.GetValue<int>().ShouldBe(0x180);
    }
}
