using System.Text.Json;
using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Desired state of a KubeadmConfig. The commonly used parts are modelled; every other field
/// CAPI knows (and any newer one) is kept as written.</summary>
[PreserveUnknownFields]
public sealed class KubeadmConfigSpec : ApiObject
{
    [JsonPropertyName("clusterConfiguration")]
    public ClusterConfiguration? ClusterConfiguration { get; set; }

    [JsonPropertyName("initConfiguration")]
    public InitConfiguration? InitConfiguration { get; set; }

    [JsonPropertyName("joinConfiguration")]
    public JoinConfiguration? JoinConfiguration { get; set; }

    [JsonPropertyName("files")]
    public List<BootstrapFile>? Files { get; set; }

    [JsonPropertyName("diskSetup"), PreserveUnknownFields]
    public JsonElement? DiskSetup { get; set; }

    [JsonPropertyName("mounts")]
    public List<List<string>>? Mounts { get; set; }

    [JsonPropertyName("bootCommands")]
    public List<string>? BootCommands { get; set; }

    [JsonPropertyName("preKubeadmCommands")]
    public List<string>? PreKubeadmCommands { get; set; }

    [JsonPropertyName("postKubeadmCommands")]
    public List<string>? PostKubeadmCommands { get; set; }

    [JsonPropertyName("users")]
    public List<BootstrapUser>? Users { get; set; }

    [JsonPropertyName("ntp")]
    public NtpSpec? Ntp { get; set; }

    [JsonPropertyName("format"), KubeEnum(BootstrapFormat.CloudConfig, BootstrapFormat.Ignition)]
    public string? Format { get; set; }

    [JsonPropertyName("verbosity")]
    public int? Verbosity { get; set; }

    [JsonPropertyName("ignition"), PreserveUnknownFields]
    public JsonElement? Ignition { get; set; }
}

/// <summary>Values of <see cref="KubeadmConfigSpec.Format"/>.</summary>
public static class BootstrapFormat
{
    public const string CloudConfig = "cloud-config";
    public const string Ignition = "ignition";
}

/// <summary>A file written on the host before kubeadm runs.</summary>
public sealed class BootstrapFile : ApiObject
{
    [JsonPropertyName("path"), KubeRequired]
    public string Path { get; set; } = "";

    [JsonPropertyName("owner")]
    public string? Owner { get; set; }

    [JsonPropertyName("permissions")]
    public string? Permissions { get; set; }

    [JsonPropertyName("encoding"), KubeEnum("base64", "gzip", "gzip+base64")]
    public string? Encoding { get; set; }

    [JsonPropertyName("append")]
    public bool? Append { get; set; }

    [JsonPropertyName("content")]
    public string? Content { get; set; }

    [JsonPropertyName("contentFrom")]
    public BootstrapFileSource? ContentFrom { get; set; }

    [JsonPropertyName("contentFormat"), KubeEnum("Raw", "Template")]
    public string? ContentFormat { get; set; }
}

/// <summary>Where the content of a file or a password comes from.</summary>
public sealed class BootstrapFileSource : ApiObject
{
    [JsonPropertyName("secret"), KubeRequired]
    public SecretKeyReference Secret { get; set; } = new();
}

/// <summary>A key of a Secret in the same namespace.</summary>
public sealed class SecretKeyReference : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    public string Name { get; set; } = "";

    [JsonPropertyName("key"), KubeRequired]
    public string Key { get; set; } = "";
}

/// <summary>A user created on the host.</summary>
public sealed class BootstrapUser : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    public string Name { get; set; } = "";

    [JsonPropertyName("gecos")]
    public string? Gecos { get; set; }

    [JsonPropertyName("groups")]
    public string? Groups { get; set; }

    [JsonPropertyName("homeDir")]
    public string? HomeDir { get; set; }

    [JsonPropertyName("inactive")]
    public bool? Inactive { get; set; }

    [JsonPropertyName("shell")]
    public string? Shell { get; set; }

    [JsonPropertyName("passwd")]
    public string? Passwd { get; set; }

    [JsonPropertyName("passwdFrom")]
    public BootstrapFileSource? PasswdFrom { get; set; }

    [JsonPropertyName("primaryGroup")]
    public string? PrimaryGroup { get; set; }

    [JsonPropertyName("lockPassword")]
    public bool? LockPassword { get; set; }

    [JsonPropertyName("sudo")]
    public string? Sudo { get; set; }

    [JsonPropertyName("sshAuthorizedKeys")]
    public List<string>? SshAuthorizedKeys { get; set; }
}

/// <summary>NTP settings of the host.</summary>
public sealed class NtpSpec : ApiObject
{
    [JsonPropertyName("servers")]
    public List<string>? Servers { get; set; }

    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}
