using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace ServerlessCapi.Providers.Bootstrap;

/// <summary>Renders a Machine's bootstrap data as an Ignition config (spec version 2.3, what CAPI's kubeadm bootstrap
/// provider produces when <c>spec.format</c> is <c>ignition</c>): users in <c>passwd</c>, the user's files, the kubeadm
/// config and a script running the user's commands around kubeadm in <c>storage.files</c>, and a one-shot
/// <c>kubeadm.service</c> unit (plus ntpd and one mount unit per mount) in <c>systemd</c>.</summary>
public static class IgnitionConfig
{
    public const string Version = "2.3.0";
    public const string KubeadmConfigPath = "/etc/kubeadm.yml";
    public const string KubeadmScriptPath = "/etc/kubeadm.sh";

    public static string Render(BootstrapInput input)
    {
        var spec = input.Spec;
        var files = new JsonArray();
        foreach (var user in spec.Users ?? [])
        {
            if (user.Sudo is { Length: > 0 } sudo)
                files.Add(File($"/etc/sudoers.d/{user.Name}", 0x180, $"{user.Name} {sudo}\n"));
        }
        var passwordUsers = (spec.Users ?? []).Where(u => u.LockPassword == false).Select(u => u.Name).ToList();
        if (passwordUsers.Count > 0)
            files.Add(File("/etc/ssh/sshd_config", 0x180, SshdConfig(passwordUsers)));
        foreach (var file in (input.CertificateFiles ?? []).Concat(spec.Files ?? []))
            files.Add(UserFile(file, input));
        if (KubeadmDocuments.DiscoveryFile(input) is { } discovery)
            files.Add(UserFile(discovery, input));
        files.Add(File(KubeadmScriptPath, 0x1C0, Script(input)));
        files.Add(File(KubeadmConfigPath, 0x180, "---\n" + KubeadmDocuments.Render(input)));
        if (spec.Ntp is { Enabled: true, Servers: { Count: > 0 } servers })
            files.Add(File("/etc/ntp.conf", 0x1A4, NtpConf(servers)));

        var storage = new JsonObject();
        if (spec.DiskSetup?.Partitions is { Count: > 0 } partitions)
        {
            storage["disks"] = new JsonArray(partitions.Select(p =>
            {
                var disk = new JsonObject { ["device"] = p.Device };
                if (p.Overwrite == true) disk["wipeTable"] = true;
                if (p.Layout == true) disk["partitions"] = new JsonArray(new JsonObject());
                return (JsonNode)disk;
            }).ToArray());
        }
        if (spec.DiskSetup?.Filesystems is { Count: > 0 } filesystems)
        {
            storage["filesystems"] = new JsonArray(filesystems.Select(fs =>
            {
                var mount = new JsonObject { ["device"] = fs.Device, ["format"] = fs.FileSystem, ["wipeFilesystem"] = fs.Overwrite ?? false };
                if (fs.Label is { } label) mount["label"] = label;
                if (fs.ExtraOpts is { Count: > 0 } opts) mount["options"] = new JsonArray(opts.Select(o => (JsonNode)o).ToArray());
                var node = new JsonObject { ["mount"] = mount };
                if (fs.Label is { } name) node["name"] = name;
                return (JsonNode)node;
            }).ToArray());
        }
        storage["files"] = files;

        var doc = new JsonObject { ["ignition"] = new JsonObject { ["version"] = Version } };
        if (spec.Users is { Count: > 0 } users)
            doc["passwd"] = new JsonObject { ["users"] = new JsonArray(users.Select(u => (JsonNode)User(u, input)).ToArray()) };
        doc["storage"] = storage;
        var units = Units(spec);
        if (spec.Ignition?.ContainerLinuxConfig?.AdditionalConfig is { Length: > 0 } additional)
            MergeAdditional(additional, files, units);
        doc["systemd"] = new JsonObject { ["units"] = units };
        return doc.ToJsonString();
    }

    private static JsonArray Units(KubeadmConfigSpec spec)
    {
        var units = new JsonArray(new JsonObject
        {
            ["name"] = "kubeadm.service",
            ["enabled"] = true,
            ["contents"] = "[Unit]\nDescription=kubeadm\n# Run only once: a successful run moves the config away.\n"
                + $"ConditionPathExists={KubeadmConfigPath}\nAfter=network.target\n[Service]\nType=oneshot\n"
                + $"ExecStart=/bin/bash {KubeadmScriptPath}\n[Install]\nWantedBy=multi-user.target\n",
        });
        if (spec.Ntp?.Enabled == true)
            units.Add(new JsonObject { ["name"] = "ntpd.service", ["enabled"] = true });
        var devices = (spec.DiskSetup?.Filesystems ?? []).Where(f => f.Label is not null)
            .GroupBy(f => f.Label!).ToDictionary(g => g.Key, g => g.Last().Device);
        foreach (var mount in spec.Mounts ?? [])
        {
            if (mount.Count < 2)
                continue;
            var (label, point) = (mount[0], mount[1]);
            units.Add(new JsonObject
            {
                ["name"] = MountUnitName(point),
                ["enabled"] = true,
                ["contents"] = $"[Unit]\nDescription = Mount {label}\n\n[Mount]\nWhat={devices.GetValueOrDefault(label, "")}\n"
                    + $"Where={point}\nOptions={string.Join(',', mount.Skip(2))}\n\n[Install]\nWantedBy=multi-user.target\n",
            });
        }
        return units;
    }

    /// <summary>Adds the systemd units and files of the user's additional Container Linux Config (its
    /// <c>systemd.units</c> and <c>storage.files</c> with inline contents); other sections are not translated.</summary>
    private static void MergeAdditional(string additional, JsonArray files, JsonArray units)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(additional));
        }
        catch (YamlException)
        {
            throw new BootstrapDataException("spec.ignition.containerLinuxConfig.additionalConfig is not valid YAML.");
        }
        if (stream.Documents.FirstOrDefault()?.RootNode is not YamlMappingNode root)
            return;
        foreach (var unit in Items(Child(Child(root, "systemd"), "units")).Select(YamlJson.ToJson).OfType<JsonObject>())
        {
            var node = new JsonObject { ["name"] = unit["name"]?.DeepClone() };
            if (unit["enabled"] is { } enabled) node["enabled"] = enabled.DeepClone();
            if (unit["contents"] is { } contents) node["contents"] = contents.DeepClone();
            units.Add(node);
        }
        foreach (var file in Items(Child(Child(root, "storage"), "files")).OfType<YamlMappingNode>())
        {
            if ((Child(file, "path") as YamlScalarNode)?.Value is not { } path)
                continue;
            // Container Linux Configs are YAML 1.1, where a mode such as 0600 is octal: read the scalar's own text.
            var text = (Child(file, "mode") as YamlScalarNode)?.Value ?? "";
            var mode = text.StartsWith('0') && TryOctal(text, out var octal) ? octal
                : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var decimalMode) ? decimalMode : 0x1A4;
            files.Add(File(path, mode, (Child(Child(file, "contents"), "inline") as YamlScalarNode)?.Value ?? ""));
        }

        static YamlNode? Child(YamlNode? node, string key) =>
            node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var child) ? child : null;

        static IEnumerable<YamlNode> Items(YamlNode? node) => node is YamlSequenceNode seq ? seq.Children : [];
    }

    /// <summary>The unit name of a mount point as CAPI forms it (<c>/var/lib/data</c> → <c>var-lib-data.mount</c>).</summary>
    public static string MountUnitName(string mountPoint) => mountPoint.Replace('/', '-').TrimStart('-') + ".mount";

    private static string Script(BootstrapInput input)
    {
        var script = new StringBuilder("#!/bin/bash\nset -e\n");
        foreach (var c in input.Spec.PreKubeadmCommands ?? []) script.Append(c).Append('\n');
        script.Append(CloudInit.KubeadmCommand(input).Replace(CloudInit.KubeadmConfigPath, KubeadmConfigPath, StringComparison.Ordinal)).Append('\n');
        script.Append($"mkdir -p /run/cluster-api && echo success > {CloudInit.SuccessMarker}\n");
        script.Append($"mv {KubeadmConfigPath} /tmp/\n");
        foreach (var c in input.Spec.PostKubeadmCommands ?? []) script.Append(c).Append('\n');
        return script.ToString();
    }

    private static JsonObject User(BootstrapUser user, BootstrapInput input)
    {
        var node = new JsonObject { ["name"] = user.Name };
        if (user.Gecos is { } gecos) node["gecos"] = gecos;
        if (user.Groups is { Length: > 0 } groups)
            node["groups"] = new JsonArray(groups.Split(", ").Select(g => (JsonNode)g).ToArray());
        if (user.HomeDir is { } home) node["homeDir"] = home;
        if (user.Shell is { } shell) node["shell"] = shell;
        var passwd = user.PasswdFrom is { } from ? CloudInit.Resolve(input, from.Secret) : user.Passwd;
        if (passwd is not null) node["passwordHash"] = passwd;
        if (user.PrimaryGroup is { } primary) node["primaryGroup"] = primary;
        if (user.SshAuthorizedKeys is { Count: > 0 } keys)
            node["sshAuthorizedKeys"] = new JsonArray(keys.Select(k => (JsonNode)k).ToArray());
        return node;
    }

    private static JsonObject UserFile(BootstrapFile file, BootstrapInput input)
    {
        var content = file.ContentFrom is { } from ? CloudInit.Resolve(input, from.Secret) : file.Content ?? "";
        var node = new JsonObject { ["filesystem"] = "root", ["path"] = file.Path };
        if (file.Owner is { Length: > 0 } owner)
        {
            var parts = owner.Split(':');
            if (parts[0].Trim() is { Length: > 0 } userName) node["user"] = new JsonObject { ["name"] = userName };
            if (parts.Length > 1 && parts[1].Trim() is { Length: > 0 } group) node["group"] = new JsonObject { ["name"] = group };
        }
        if (file.Permissions is { Length: > 0 } permissions && TryOctal(permissions, out var mode)) node["mode"] = mode;
        node["contents"] = new JsonObject
        {
            ["source"] = file.Encoding == "base64" ? "data:;base64," + content.Trim() : DataUrl(content),
            ["verification"] = new JsonObject(),
        };
        if (file.Append == true) node["append"] = true;
        return node;
    }

    private static JsonObject File(string path, int mode, string content) => new()
    {
        ["filesystem"] = "root",
        ["path"] = path,
        ["mode"] = mode,
        ["contents"] = new JsonObject { ["source"] = DataUrl(content), ["verification"] = new JsonObject() },
    };

    /// <summary>An RFC 2397 data URL of text, as Ignition takes inline file contents.</summary>
    public static string DataUrl(string content) => "data:," + Uri.EscapeDataString(content);

    private static bool TryOctal(string text, out int mode)
    {
        mode = 0;
        foreach (var c in text.TrimStart('0').DefaultIfEmpty('0'))
        {
            if (c is < '0' or > '7')
                return false;
            mode = (mode * 8) + (c - '0');
        }
        return true;
    }

    private static string SshdConfig(IEnumerable<string> users) =>
        "Subsystem sftp internal-sftp\nClientAliveInterval 180\nUseDNS no\nUsePAM yes\nPrintLastLog no\nPrintMotd no\n\n"
        + $"Match User {string.Join(',', users)}\n  PasswordAuthentication yes\n";

    private static string NtpConf(IEnumerable<string> servers) =>
        string.Concat(servers.Select(s => string.Create(CultureInfo.InvariantCulture, $"server {s}\n")))
        + "\nrestrict default nomodify nopeer noquery notrap limited kod\nrestrict 127.0.0.1\nrestrict [::1]\n";
}
