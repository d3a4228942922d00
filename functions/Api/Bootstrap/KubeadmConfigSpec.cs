using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Desired state of a KubeadmConfig: every field of CAPI's v1beta2 KubeadmConfigSpec.</summary>
[KubeProperties(1)]
public sealed class KubeadmConfigSpec : ApiObject
{
    [JsonPropertyName("clusterConfiguration")]
    public ClusterConfiguration? ClusterConfiguration { get; set; }

    [JsonPropertyName("initConfiguration")]
    public InitConfiguration? InitConfiguration { get; set; }

    [JsonPropertyName("joinConfiguration")]
    public JoinConfiguration? JoinConfiguration { get; set; }

    [JsonPropertyName("files")]
    [KubeItems(1, 200), KubeListType("atomic")]
    public List<BootstrapFile>? Files { get; set; }

    [JsonPropertyName("diskSetup")]
    public DiskSetup? DiskSetup { get; set; }

    [JsonPropertyName("mounts")]
    [KubeItems(1, 100), KubeListType("atomic")]
    [KubeItems(1, 100, OnItems = true)]
    [KubeMinLength(1, ItemLevel = 2), KubeMaxLength(512, ItemLevel = 2)]
    public List<List<string>>? Mounts { get; set; }

    [JsonPropertyName("bootCommands")]
    [KubeItems(1, 1000), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(10240, OnItems = true)]
    public List<string>? BootCommands { get; set; }

    [JsonPropertyName("preKubeadmCommands")]
    [KubeItems(1, 1000), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(10240, OnItems = true)]
    public List<string>? PreKubeadmCommands { get; set; }

    [JsonPropertyName("postKubeadmCommands")]
    [KubeItems(1, 1000), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(10240, OnItems = true)]
    public List<string>? PostKubeadmCommands { get; set; }

    [JsonPropertyName("users")]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<BootstrapUser>? Users { get; set; }

    [JsonPropertyName("ntp")]
    public NtpSpec? Ntp { get; set; }

    [JsonPropertyName("format"), KubeEnum(BootstrapFormat.CloudConfig, BootstrapFormat.Ignition)]
    public string? Format { get; set; }

    [JsonPropertyName("verbosity")]
    public int? Verbosity { get; set; }

    [JsonPropertyName("ignition")]
    public IgnitionSpec? Ignition { get; set; }
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
    [KubeMinLength(1), KubeMaxLength(512)]
    public string Path { get; set; } = "";

    [JsonPropertyName("owner")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Owner { get; set; }

    [JsonPropertyName("permissions")]
    [KubeMinLength(1), KubeMaxLength(16)]
    public string? Permissions { get; set; }

    [JsonPropertyName("encoding"), KubeEnum("base64", "gzip", "gzip+base64")]
    public string? Encoding { get; set; }

    [JsonPropertyName("append")]
    public bool? Append { get; set; }

    [JsonPropertyName("content")]
    [KubeMinLength(1), KubeMaxLength(10240)]
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
    [KubeMinLength(1), KubeMaxLength(253)]
    public string Name { get; set; } = "";

    [JsonPropertyName("key"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Key { get; set; } = "";
}

/// <summary>A user created on the host.</summary>
public sealed class BootstrapUser : ApiObject
{
    [JsonPropertyName("name"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Name { get; set; } = "";

    [JsonPropertyName("gecos")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Gecos { get; set; }

    [JsonPropertyName("groups")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Groups { get; set; }

    [JsonPropertyName("homeDir")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? HomeDir { get; set; }

    [JsonPropertyName("inactive")]
    public bool? Inactive { get; set; }

    [JsonPropertyName("shell")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Shell { get; set; }

    [JsonPropertyName("passwd")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Passwd { get; set; }

    [JsonPropertyName("passwdFrom")]
    public BootstrapFileSource? PasswdFrom { get; set; }

    [JsonPropertyName("primaryGroup")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? PrimaryGroup { get; set; }

    [JsonPropertyName("lockPassword")]
    public bool? LockPassword { get; set; }

    [JsonPropertyName("sudo")]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string? Sudo { get; set; }

    [JsonPropertyName("sshAuthorizedKeys")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(2048, OnItems = true)]
    public List<string>? SshAuthorizedKeys { get; set; }
}

/// <summary>NTP settings of the host.</summary>
[KubeProperties(1)]
public sealed class NtpSpec : ApiObject
{
    [JsonPropertyName("servers")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(512, OnItems = true)]
    public List<string>? Servers { get; set; }

    [JsonPropertyName("enabled")]
    public bool? Enabled { get; set; }
}
