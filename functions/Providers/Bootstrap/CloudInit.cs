using System.Text;
using System.Text.Json.Nodes;
using ServerlessCapi.Api;

namespace ServerlessCapi.Providers.Bootstrap;

/// <summary>Renders a Machine's bootstrap data as cloud-init <c>#cloud-config</c>, the way CAPI's kubeadm
/// bootstrap provider lays it out: the kubeadm config file and the user's files, the user's commands
/// around <c>kubeadm init|join</c>, then users, NTP, mounts and disk setup.</summary>
public static class CloudInit
{
    public const string KubeadmConfigPath = "/run/kubeadm/kubeadm.yaml";
    public const string SuccessMarker = "/run/cluster-api/bootstrap-success.complete";

    public static string Render(BootstrapInput input)
    {
        var spec = input.Spec;
        var doc = new JsonObject();

        var files = new JsonArray();
        foreach (var file in input.CertificateFiles ?? []) files.Add(File(file, input));
        foreach (var file in spec.Files ?? []) files.Add(File(file, input));
        if (KubeadmDocuments.DiscoveryFile(input) is { } discovery) files.Add(File(discovery, input));
        files.Add(new JsonObject
        {
            ["path"] = KubeadmConfigPath,
            ["owner"] = "root:root",
            ["permissions"] = "0640",
            ["content"] = KubeadmDocuments.Render(input),
        });
        files.Add(new JsonObject
        {
            ["path"] = "/run/cluster-api/placeholder",
            ["owner"] = "root:root",
            ["permissions"] = "0640",
            ["content"] = "This placeholder file creates the /run/cluster-api directory.",
        });
        doc["write_files"] = files;

        var commands = new JsonArray();
        foreach (var c in spec.PreKubeadmCommands ?? []) commands.Add(c);
        commands.Add($"{KubeadmCommand(input)} && echo success > {SuccessMarker}");
        foreach (var c in spec.PostKubeadmCommands ?? []) commands.Add(c);
        doc["runcmd"] = commands;

        if (spec.BootCommands is { Count: > 0 } boot) doc["bootcmd"] = new JsonArray(boot.Select(b => (JsonNode)b).ToArray());
        if (spec.Users is { Count: > 0 } users) doc["users"] = new JsonArray(users.Select(u => (JsonNode)User(u, input)).ToArray());
        if (spec.Ntp is { } ntp)
        {
            doc["ntp"] = new JsonObject
            {
                ["enabled"] = ntp.Enabled ?? true,
                ["servers"] = new JsonArray((ntp.Servers ?? []).Select(s => (JsonNode)s).ToArray()),
            };
        }
        if (spec.Mounts is { Count: > 0 } mounts)
            doc["mounts"] = new JsonArray(mounts.Select(m => (JsonNode)new JsonArray(m.Select(p => (JsonNode)p).ToArray())).ToArray());
        if (CloudInitDisks.DiskSetup(spec.DiskSetup) is { } disks) doc["disk_setup"] = disks;
        if (CloudInitDisks.FsSetup(spec.DiskSetup) is { } filesystems) doc["fs_setup"] = filesystems;

        return new StringBuilder("## template: jinja\n#cloud-config\n").Append(YamlJson.ToYaml(doc)).ToString();
    }

    internal static string KubeadmCommand(BootstrapInput input)
    {
        var verbosity = input.Spec.Verbosity is { } v ? $" --v={v}" : "";
        return input.Role == BootstrapRole.Init
            ? $"kubeadm init --config {KubeadmConfigPath}{verbosity}"
            : $"kubeadm join --config {KubeadmConfigPath}{verbosity}";
    }

    private static JsonObject File(BootstrapFile file, BootstrapInput input)
    {
        var content = file.Content;
        if (file.ContentFrom is { } from)
            content = Resolve(input, from.Secret);
        var node = new JsonObject { ["path"] = file.Path };
        if (file.Owner is { } owner) node["owner"] = owner;
        if (file.Permissions is { } permissions) node["permissions"] = permissions;
        if (file.Encoding is { } encoding) node["encoding"] = encoding;
        if (file.Append is { } append) node["append"] = append;
        node["content"] = content ?? "";
        return node;
    }

    private static JsonObject User(BootstrapUser user, BootstrapInput input)
    {
        var node = new JsonObject { ["name"] = user.Name };
        if (user.Gecos is { } gecos) node["gecos"] = gecos;
        if (user.Groups is { } groups) node["groups"] = groups;
        if (user.HomeDir is { } home) node["homedir"] = home;
        if (user.Inactive is { } inactive) node["inactive"] = inactive;
        if (user.Shell is { } shell) node["shell"] = shell;
        if (user.PasswdFrom is { } from) node["passwd"] = Resolve(input, from.Secret);
        else if (user.Passwd is { } passwd) node["passwd"] = passwd;
        if (user.PrimaryGroup is { } primary) node["primary_group"] = primary;
        if (user.LockPassword is { } locked) node["lock_passwd"] = locked;
        if (user.Sudo is { } sudo) node["sudo"] = sudo;
        if (user.SshAuthorizedKeys is { Count: > 0 } keys)
            node["ssh_authorized_keys"] = new JsonArray(keys.Select(k => (JsonNode)k).ToArray());
        return node;
    }

    internal static string Resolve(BootstrapInput input, SecretKeyReference reference) =>
        input.SecretValues is not null && input.SecretValues.TryGetValue((reference.Name, reference.Key), out var value)
            ? value
            : throw new BootstrapDataException($"Secret {reference.Name} key {reference.Key} is not available.");
}

/// <summary>The bootstrap data cannot be built yet (for example a referenced Secret is missing).</summary>
public sealed class BootstrapDataException(string message) : Exception(message);
