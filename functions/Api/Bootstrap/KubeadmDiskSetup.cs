using System.Text.Json.Serialization;

namespace ServerlessCapi.Api;

/// <summary>Partitions and file systems cloud-init (or Ignition) creates before kubeadm runs.</summary>
[KubeProperties(1)]
public sealed class DiskSetup : ApiObject
{
    [JsonPropertyName("partitions")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    public List<Partition>? Partitions { get; set; }

    [JsonPropertyName("filesystems")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    public List<Filesystem>? Filesystems { get; set; }
}

/// <summary>The partition table of one device.</summary>
[KubeValidation("[has(self.layout),has(self.diskLayout)].filter(x,x==true).size() == 1", "exactly one of the fields in [layout diskLayout] must be set")]
public sealed class Partition : ApiObject
{
    [JsonPropertyName("device"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Device { get; set; } = "";

    [JsonPropertyName("layout")]
    public bool? Layout { get; set; }

    [JsonPropertyName("diskLayout")]
    [KubeItems(1, 100), KubeListType("atomic")]
    public List<PartitionSpec>? DiskLayout { get; set; }

    [JsonPropertyName("overwrite")]
    public bool? Overwrite { get; set; }

    [JsonPropertyName("tableType"), KubeEnum("mbr", "gpt")]
    public string? TableType { get; set; }
}

/// <summary>One partition of a disk layout: its share of the disk and its type.</summary>
public sealed class PartitionSpec : ApiObject
{
    [JsonPropertyName("percentage"), KubeRequired]
    [KubeMinimum(1), KubeMaximum(100)]
    public int Percentage { get; set; }

    [JsonPropertyName("partitionType")]
    [KubeMinLength(1), KubeMaxLength(36)]
    [KubeValidation("self.matches('^(Linux|LinuxSwap|LinuxRAID|LVM|Fat32|NTFS|LinuxExtended|[0-9A-Fa-f]{8}(-[0-9A-Fa-f]{4}){3}-[0-9A-Fa-f]{12})$')",
        "partitionType must be one of Linux, LinuxSwap, LinuxRAID, LVM, Fat32, NTFS, LinuxExtended or a full GPT partition GUID")]
    public string? PartitionType { get; set; }
}

/// <summary>A file system made on a device or partition.</summary>
public sealed class Filesystem : ApiObject
{
    [JsonPropertyName("device"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(256)]
    public string Device { get; set; } = "";

    [JsonPropertyName("filesystem"), KubeRequired]
    [KubeMinLength(1), KubeMaxLength(128)]
    public string FileSystem { get; set; } = "";

    [JsonPropertyName("label")]
    [KubeMinLength(1), KubeMaxLength(512)]
    public string? Label { get; set; }

    [JsonPropertyName("partition")]
    [KubeMinLength(1), KubeMaxLength(128)]
    public string? Partition { get; set; }

    [JsonPropertyName("overwrite")]
    public bool? Overwrite { get; set; }

    [JsonPropertyName("replaceFS")]
    [KubeMinLength(1), KubeMaxLength(128)]
    public string? ReplaceFs { get; set; }

    [JsonPropertyName("extraOpts")]
    [KubeItems(-1, 100), KubeListType("atomic")]
    [KubeMinLength(1, OnItems = true), KubeMaxLength(256, OnItems = true)]
    public List<string>? ExtraOpts { get; set; }
}

/// <summary>Ignition-specific settings, used when the format is <c>ignition</c>.</summary>
[KubeProperties(1)]
public sealed class IgnitionSpec : ApiObject
{
    [JsonPropertyName("containerLinuxConfig")]
    public ContainerLinuxConfig? ContainerLinuxConfig { get; set; }
}

/// <summary>Extra Butane/Container Linux Config merged into the generated Ignition config.</summary>
[KubeProperties(1)]
public sealed class ContainerLinuxConfig : ApiObject
{
    [JsonPropertyName("additionalConfig")]
    [KubeMinLength(1), KubeMaxLength(32768)]
    public string? AdditionalConfig { get; set; }

    [JsonPropertyName("strict")]
    public bool? Strict { get; set; }
}
